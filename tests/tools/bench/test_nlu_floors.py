"""The CI floors of `python -m tools.bench bench-nlu`: per-language macro-F1, entity F1 and language-ID accuracy."""

from tools.bench.nlu import below_floors, parse_floors

REPORT = {
    "intent": {"per_language": {"ru": {"macro_f1": 0.95}, "tg": {"macro_f1": 0.91}}},
    "entities": {"city": {"f1": 1.0}, "country": {"f1": 0.88}},
    "language_id": {"hamroh": {"overall": 0.96}},
}


def test_floors_are_read_per_group_or_for_every_group():
    assert parse_floors("0.9") == {"*": 0.9}
    assert parse_floors("ru=0.93, tg=0.9") == {"ru": 0.93, "tg": 0.9}
    assert parse_floors(None) == {}


def test_each_figure_under_its_floor_is_named():
    failures = below_floors(REPORT, {"ru": 0.93, "tg": 0.92}, {"city": 0.98, "country": 0.9, "language": 0.9}, 0.97)
    assert failures == ["macro-F1 tg 0.910 < 0.92", "entity F1 country 0.880 < 0.9",
                        "entity F1 language 0.000 < 0.9", "language-ID accuracy 0.960 < 0.97"]


def test_figures_at_their_floors_pass():
    assert below_floors(REPORT, {"*": 0.91}, {"city": 1.0, "country": 0.88}, 0.96) == []
