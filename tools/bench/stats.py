"""Percentiles of one run, and the median with min and max over repeated runs."""

from __future__ import annotations

import statistics
from typing import Any, Dict, List, Sequence


def percentiles(samples_ms: Sequence[float], digits: int = 1) -> Dict[str, float]:
    """p50/p95/p99/max (nearest rank) and mean of latencies in milliseconds."""
    ordered = sorted(samples_ms)
    if not ordered:
        raise ValueError("no samples")
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], digits)  # noqa: E731
    return {"p50_ms": pick(0.50), "p95_ms": pick(0.95), "p99_ms": pick(0.99), "max_ms": round(ordered[-1], digits),
            "mean_ms": round(statistics.fmean(ordered), digits), "n": len(ordered)}


def spread(values: Sequence[float], digits: int = 2) -> Dict[str, Any]:
    """Median, min and max of one figure over repeated runs, with the runs themselves."""
    if not values:
        raise ValueError("no runs")
    return {"median": round(statistics.median(values), digits), "min": round(min(values), digits),
            "max": round(max(values), digits), "runs": [round(v, digits) for v in values]}


def summarise(runs: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Each numeric figure of repeated runs as its spread: {"p95_ms": {"median", "min", "max", "runs"}, …}."""
    keys = [k for k, v in runs[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return {k: spread([run[k] for run in runs]) for k in keys}
