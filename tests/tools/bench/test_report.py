"""docs/benchmarks.md: targets judged from the figures, sections even before anything is measured."""

from tools.bench.report import main, targets


def spread(median):
    return {"median": median, "min": median, "max": median, "runs": [median]}


REPORTS = {
    "nlu": {"intent": {"per_language": {"ru": {"macro_f1": 0.93}, "ky": {"macro_f1": 0.96}}},
            "baseline": {"intent": {"per_language": {"ru": {"macro_f1": 0.84}, "ky": {"macro_f1": 0.97}}}}},
    "langid": {"identifiers": {"hamroh": {"overall": 0.985, "per_length": {"1-2": 0.9}},
                               "pycld2": {"overall": 0.7, "per_length": {"1-2": 0.95}}}},
    "content": {"sqlite": {"answer_lookup": {"p95_ms": spread(1.2)}, "routing": {"p95_ms": spread(6.0)}}},
    "load": {"summary": {"hamroh_telegram": {"paced": {"10": {"p95_ms": spread(90.0)}}}},
             "ratios_p95": {"paced": {"1": spread(0.7), "10": spread(1.6)}},
             "memory": {"hamroh_telegram": {"peak_under_load_mb": {"rasa": 700.0, "actions": 150.0}}},
             "training": {"seconds": spread(40.0)}},
}


def test_each_target_is_judged_from_its_figure():
    judged = {target: met for target, _, met in targets(REPORTS)}
    assert judged["macro-F1 ru ≥ 0.95"] is False and judged["macro-F1 ky ≥ 0.95"] is True
    assert judged["macro-F1 ru ahead of `rasa init`"] is True
    assert judged["macro-F1 ky ahead of `rasa init`"] is False
    assert judged["language ID ≥ 0.98"] is True
    assert judged["language ID ahead on 1–2 words"] is False
    assert judged["lookup p95 ≤ 5 ms (sqlite)"] is False  # the worse of the two lookups counts
    assert judged["p95 ≤ 150 ms at 10 chats (paced)"] is True
    assert judged["p95 ≤ 1.5× `rasa init` at every concurrency (paced)"] is False  # 1.6 at 10 chats
    assert judged["memory ≤ 1.2 GB together"] is True and judged["training ≤ 120 s"] is True


def test_nothing_measured_yet_still_writes_the_report(tmp_path, capsys):
    assert main(str(tmp_path), str(tmp_path / "benchmarks.md")) == 0
    text = (tmp_path / "benchmarks.md").read_text()
    assert "Not measured yet: run `make bench-load`." in text and "## Targets" in text


def test_one_and_two_replicas_stand_side_by_side_with_the_throughput_ratio():
    from tools.bench.report import load_section

    def figures(p95, rate):
        return {"p95_ms": spread(p95), "messages_per_second": spread(rate)}

    replicas = {"settings": {"replicas": [1, 2], "action_servers": 2, "concurrency": [10, 50]},
                "targets": {"cluster_1_replica": 1, "cluster_2_replicas": 2},
                "summary": {"cluster_1_replica": {"flat_out": {"10": figures(300, 20.0), "50": figures(900, 25.0)}},
                            "cluster_2_replicas": {"flat_out": {"10": figures(250, 22.0), "50": figures(800, 30.0)}}},
                "memory": {"cluster_1_replica": {"peak_under_load_mb": {"rasa-1": 600.0}},
                           "cluster_2_replicas": {"peak_under_load_mb": {"rasa-1": 600.0, "rasa-2": 610.0}}},
                "sender_after_200": {"cluster_1_replica": {"p50_ms": 40.0, "p95_ms": 90.5, "n": 120},
                                     "cluster_2_replicas": {"p50_ms": 45.0, "p95_ms": 99.0, "n": 120}}}
    report = {"settings": {"repeats": 1, "rounds": 1}, "summary": {"hamroh_telegram": {}},
              "memory": {"hamroh_telegram": {"after_warmup_mb": {}, "peak_under_load_mb": {}, "after_load_mb": {}},
                         "rasa_init_rest": {"peak_under_load_mb": {}}},
              "cold_start_seconds": {"hamroh_telegram": spread(9), "rasa_init_rest": spread(60)},
              "parse_floor": {"p50_ms": spread(5), "p95_ms": spread(9)}, "machine": {"cores": 2},
              "replicas": replicas}
    text = "\n".join(load_section(report))
    assert "| mode | chats | 1 replica p95 ms | 1 replica msg/s | 2 replicas p95 ms | 2 replicas msg/s |" in text
    assert "| flat out | 50 | 900 [900–900] | 25 [25–25] | 800 [800–800] | 30 [30–30] | 1.20 |" in text
    assert "a machine of 2 cores" in text and "![replicas](bench/load-replicas.png)" in text
    assert "2 replicas: rasa-1 600 + rasa-2 610 = 1210" in text
    assert "1 replica p50 40 ms, p95 90.5 ms (120 updates); 2 replicas p50 45 ms, p95 99 ms (120 updates)." in text
