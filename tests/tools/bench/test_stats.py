"""Benchmark arithmetic: percentiles of a run, spreads over repeated runs."""

import pytest

from tools.bench.stats import percentiles, spread, summarise


def test_percentiles_are_nearest_rank():
    result = percentiles([float(ms) for ms in range(1, 101)])
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"], result["max_ms"]) == (51.0, 96.0, 100.0, 100.0)
    assert result["n"] == 100 and result["mean_ms"] == 50.5


def test_spread_is_median_min_max_of_runs():
    assert spread([30.0, 10.0, 20.0]) == {"median": 20.0, "min": 10.0, "max": 30.0, "runs": [30.0, 10.0, 20.0]}


def test_summarise_spreads_every_number_and_skips_the_rest():
    runs = [{"p95_ms": 10.0, "n": 4, "label": "a"}, {"p95_ms": 14.0, "n": 4, "label": "b"},
            {"p95_ms": 11.0, "n": 4, "label": "c"}]
    summary = summarise(runs)
    assert summary["p95_ms"]["median"] == 11.0 and summary["p95_ms"]["max"] == 14.0
    assert "label" not in summary


@pytest.mark.parametrize("call", [lambda: percentiles([]), lambda: spread([])])
def test_no_samples_is_an_error_not_a_zero(call):
    with pytest.raises(ValueError):
        call()
