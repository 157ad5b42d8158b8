"""Scores a trained model on a held-out split (the test split for figures): intents, entities, language ID, fallback."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import platform
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence

from sklearn.metrics import accuracy_score, f1_score

from tools.bench.heldout import Example, length_bucket, read_heldout

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)


def intent_scores(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, float]:
    """Returns macro-F1 over the gold intents, accuracy and the number of examples."""
    labels = sorted(set(gold))
    return {
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "n": len(gold),
    }


def grouped(examples: Sequence[Example], predicted: Sequence[str],
            key: Callable[[Example], str]) -> Dict[str, Dict[str, float]]:
    """Returns intent scores per group of examples."""
    groups: Dict[str, List[int]] = defaultdict(list)
    for i, example in enumerate(examples):
        groups[key(example)].append(i)
    return {
        name: intent_scores([examples[i].intent for i in idx], [predicted[i] for i in idx])
        for name, idx in sorted(groups.items())
    }


def entity_scores(examples: Sequence[Example], found: Sequence[Iterable]) -> Dict[str, Dict[str, float]]:
    """Returns precision, recall and F1 per entity type over (entity, value) pairs."""
    counts: Dict[str, List[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    for example, predicted in zip(examples, found):
        predicted = set(predicted)
        for entity, value in predicted | example.entities:
            tp_fp_fn = counts[entity]
            if (entity, value) in predicted and (entity, value) in example.entities:
                tp_fp_fn[0] += 1
            elif (entity, value) in predicted:
                tp_fp_fn[1] += 1
            else:
                tp_fp_fn[2] += 1
    scores = {}
    for entity, (tp, fp, fn) in sorted(counts.items()):
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[entity] = {"precision": round(precision, 4), "recall": round(recall, 4),
                          "f1": round(f1, 4), "support": tp + fn}
    return scores


def language_scores(examples: Sequence[Example], guesses: Sequence[Optional[str]]) -> Dict[str, Any]:
    """Returns language-ID accuracy overall, per language and per length bucket."""
    def accuracy(indices: List[int]) -> float:
        hits = sum(1 for i in indices if guesses[i] == examples[i].language)
        return round(hits / len(indices), 4) if indices else 0.0

    everything = list(range(len(examples)))
    by_language, by_length = defaultdict(list), defaultdict(list)
    for i, example in enumerate(examples):
        by_language[example.language].append(i)
        by_length[length_bucket(example.text)].append(i)
    return {
        "overall": accuracy(everything),
        "per_language": {k: accuracy(v) for k, v in sorted(by_language.items())},
        "per_length": {k: accuracy(v) for k, v in sorted(by_length.items())},
    }


def cld2_language(text: str) -> Optional[str]:
    """Returns pycld2's guess for a message (None when it has no answer)."""
    import pycld2

    try:
        _, _, details = pycld2.detect(text, bestEffort=True)
    except pycld2.error:
        return None
    code = details[0][1] if details else "un"
    return None if code == "un" else code


def fallback_curve(examples: Sequence[Example], rankings: Sequence[List[Dict[str, Any]]]) -> List[Dict[str, float]]:
    """For each threshold: share of right answers kept and of wrong answers caught."""
    curve = []
    top = [r[0] if r else {"name": FALLBACK_INTENT, "confidence": 0.0} for r in rankings]  # no ranking: no topic
    right = [t["name"] == e.intent for t, e in zip(top, examples)]
    for threshold in THRESHOLDS:
        kept = [t["confidence"] >= threshold for t in top]
        predicted = [t["name"] if k else FALLBACK_INTENT for t, k in zip(top, kept)]
        curve.append({
            "threshold": threshold,
            "macro_f1": intent_scores([e.intent for e in examples], predicted)["macro_f1"],
            "right_kept": round(sum(r and k for r, k in zip(right, kept)) / max(1, sum(right)), 4),
            "wrong_caught": round(sum((not r) and (not k) for r, k in zip(right, kept))
                                  / max(1, len(right) - sum(right)), 4),
        })
    return curve


async def parse_all(model: str, texts: Sequence[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(model)
    return [await agent.parse_message(text) for text in texts]


def machine() -> Dict[str, Any]:
    """Returns what the figures were measured on."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=False).stdout.strip() or None
    except OSError:
        commit = None
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"commit": commit, "cores": os.cpu_count(), "memory_gib": round(memory, 1),
            "python": platform.python_version()}


def evaluate(model: str, heldout: Path) -> Dict[str, Any]:
    """Parses every held-out example with the model and returns all figures."""
    examples = read_heldout(heldout)
    parses = asyncio.run(parse_all(model, [e.text for e in examples]))
    predicted = [(p.get("intent") or {}).get("name") or FALLBACK_INTENT for p in parses]
    rankings = [[r for r in p.get("intent_ranking") or [] if r["name"] != FALLBACK_INTENT] for p in parses]
    raw = [r[0]["name"] if r else FALLBACK_INTENT for r in rankings]
    found = [{(e["entity"], str(e.get("value"))) for e in p.get("entities") or []} for p in parses]
    ours = [(p.get("language") or {}).get("code") for p in parses]
    cld2 = [cld2_language(e.text) for e in examples]
    model_path = Path(model)
    train_seconds = model_path.with_suffix("").with_suffix(".train-seconds")
    return {
        "machine": machine(),
        "model": {"path": model, "size_mb": round(model_path.stat().st_size / 2**20, 2),
                  "train_seconds": float(train_seconds.read_text()) if train_seconds.exists() else None},
        "intent": {
            "overall": intent_scores([e.intent for e in examples], predicted),
            "per_language": grouped(examples, predicted, lambda e: e.language),
            "per_file": grouped(examples, predicted, lambda e: e.source),
            "per_style": grouped(examples, predicted, lambda e: e.style),
            "per_language_style": grouped(examples, predicted, lambda e: f"{e.language}/{e.style}"),
            "without_fallback_per_language": grouped(examples, raw, lambda e: e.language),
        },
        "entities": entity_scores(examples, found),
        "language_id": {"hamroh": language_scores(examples, ours), "pycld2": language_scores(examples, cld2)},
        "fallback_thresholds": fallback_curve(examples, rankings),
        "not_understood": sum(1 for p in parses if p.get("not_understood")),
        "predictions": [
            {"text": e.text, "gold": e.intent, "predicted": p, "language": e.language, "style": e.style}
            for e, p in zip(examples, predicted)
        ],
    }


def summary(report: Dict[str, Any]) -> str:
    """Returns a one-screen text summary of a report."""
    lines = ["Intent (held-out, as deployed incl. fallback):"]
    for name, s in report["intent"]["per_language"].items():
        lines.append(f"  {name:4s} macro-F1 {s['macro_f1']:.3f}  accuracy {s['accuracy']:.3f}  n={s['n']}")
    lines.append("Per style:")
    for name, s in report["intent"]["per_style"].items():
        lines.append(f"  {name:14s} macro-F1 {s['macro_f1']:.3f}  accuracy {s['accuracy']:.3f}  n={s['n']}")
    lines.append("Entities:")
    for name, s in report["entities"].items():
        lines.append(f"  {name:9s} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} n={s['support']}")
    ours, cld2 = report["language_id"]["hamroh"], report["language_id"]["pycld2"]
    lines.append(f"Language ID accuracy: Hamroh {ours['overall']:.3f}  pycld2 {cld2['overall']:.3f}")
    for bucket in ours["per_length"]:
        lines.append(f"  {bucket:4s} words: Hamroh {ours['per_length'][bucket]:.3f}  "
                     f"pycld2 {cld2['per_length'].get(bucket, 0):.3f}")
    lines.append("Fallback threshold: " + ", ".join(
        f"{c['threshold']}→F1 {c['macro_f1']:.3f}/caught {c['wrong_caught']:.2f}"
        for c in report["fallback_thresholds"]))
    m = report["model"]
    lines.append(f"Model {m['size_mb']} MB, trained in {m['train_seconds']} s")
    return "\n".join(lines)


def plot_confusion(report: Dict[str, Any], folder: Path) -> List[Path]:
    """Draws one confusion matrix per language from the report's predictions."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import confusion_matrix

    paths = []
    predictions = report["predictions"]
    for language in sorted({p["language"] for p in predictions}):
        rows = [p for p in predictions if p["language"] == language]
        labels = sorted({p["gold"] for p in rows} | {p["predicted"] for p in rows})
        matrix = confusion_matrix([p["gold"] for p in rows], [p["predicted"] for p in rows], labels=labels)
        figure, axis = plt.subplots(figsize=(9, 8))
        axis.imshow(matrix, cmap="Blues")
        axis.set_xticks(range(len(labels)))
        axis.set_yticks(range(len(labels)))
        axis.set_xticklabels(labels, rotation=90, fontsize=6)
        axis.set_yticklabels(labels, fontsize=6)
        axis.set_xlabel("predicted")
        axis.set_ylabel("gold")
        axis.set_title(f"Intent confusion, {language} (test split)")
        figure.tight_layout()
        path = folder / f"confusion-{language}.png"
        figure.savefig(path, dpi=100)
        plt.close(figure)
        paths.append(path)
    return paths


def parse_floors(text: Optional[str]) -> Dict[str, float]:
    """Reads "0.9" (every group) or "ru=0.93,uz=0.95" (per group) into {group: floor}; "*" = every group."""
    if not text:
        return {}
    floors = {}
    for part in str(text).split(","):
        name, _, value = part.strip().rpartition("=")
        floors[name or "*"] = float(value)
    return floors


def below_floors(report: Dict[str, Any], macro_f1: Dict[str, float], entity_f1: Dict[str, float],
                 language_accuracy: Optional[float]) -> List[str]:
    """Returns one line per figure under its CI floor (per-language macro-F1, entity F1, language ID)."""
    failures = []
    for language, scores in report["intent"]["per_language"].items():
        floor = macro_f1.get(language, macro_f1.get("*"))
        if floor is not None and scores["macro_f1"] < floor:
            failures.append(f"macro-F1 {language} {scores['macro_f1']:.3f} < {floor}")
    for entity, floor in entity_f1.items():
        found = report["entities"].get(entity, {}).get("f1", 0.0)
        if found < floor:
            failures.append(f"entity F1 {entity} {found:.3f} < {floor}")
    accuracy = report["language_id"]["hamroh"]["overall"]
    if language_accuracy is not None and accuracy < language_accuracy:
        failures.append(f"language-ID accuracy {accuracy:.3f} < {language_accuracy}")
    return failures


def main(model: str, heldout: str, out: str, min_macro_f1: Optional[str],
         baseline: Optional[str] = None, plots: bool = False, min_entity_f1: Optional[str] = None,
         min_language_accuracy: Optional[float] = None) -> int:
    """Writes the report as JSON (and plots), prints the summary, applies the CI floors."""
    report = evaluate(model, Path(heldout))
    if baseline:
        # The `rasa init` pipeline on the same data and the same split, in the same run.
        base = evaluate(baseline, Path(heldout))
        report["baseline"] = {"model": base["model"], "intent": base["intent"], "entities": base["entities"]}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    if plots:
        plot_confusion(report, Path(out).parent)
    print(summary(report))
    if baseline:
        for language, scores in report["intent"]["per_language"].items():
            other = report["baseline"]["intent"]["per_language"].get(language, {})
            print(f"  vs rasa init pipeline, {language}: {scores['macro_f1']:.3f} vs {other.get('macro_f1', 0):.3f}")
    print(f"Full report: {out}")
    floors = (parse_floors(min_macro_f1), parse_floors(min_entity_f1), min_language_accuracy)
    if any(floors[:2]) or min_language_accuracy is not None:
        failures = below_floors(report, *floors)
        for failure in failures:
            print(f"FAIL: {failure}")
        if failures:
            return 1
        print("OK: every figure at or above its floor")
    return 0
