"""docs/benchmarks.md: targets judged from the figures, sections even before anything is measured."""

from bot.bench.report import main, targets


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
