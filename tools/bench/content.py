"""Content-scale benchmark: answer lookup and routing with 10,000 organisations and 100,000 answers."""

from __future__ import annotations

import json
import random
import time
from datetime import date
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from sqlalchemy import insert, text

from tools.bench.nlu import machine
from tools.bench.stats import percentiles, summarise
from bot.content.db import get_engine, session_scope
from bot.content.migrate import upgrade
from bot.content.models import (
    Answer, AnswerRevision, Organisation, OrganisationCity, OrganisationTopic,
)
from bot.content.queries import published_answer, route
from bot.registry import CITIES as CITY_NAMES
from bot.registry import LANGUAGES, SCOPES

CITIES = tuple(CITY_NAMES)
COUNTRIES = ("uzbekistan", "tajikistan", "kyrgyzstan", "kazakhstan", None)  # the scale test's mix, unknown included


def fill(url: str, organisations: int, answers: int, seed: int = 7) -> List[str]:
    """Writes synthetic answers (published, two revisions each) and organisations; returns the topics."""
    rng = random.Random(seed)
    topics = [f"topic_{i:05d}" for i in range(answers // (len(LANGUAGES) * len(SCOPES)))]
    engine = get_engine(url)
    with engine.begin() as connection:
        rows = [{"id": i + 1, "topic": t, "language": l, "scope": s}
                for i, (t, l, s) in enumerate((t, l, s) for t in topics for l in LANGUAGES for s in SCOPES)]
        connection.execute(insert(Answer), rows)
        revisions = []
        for row in rows:
            for number, status in ((1, "published"), (2, "published" if rng.random() < 0.5 else "draft")):
                revisions.append({"answer_id": row["id"], "number": number, "status": status,
                                  "body": f"Ответ {row['topic']} {number}", "sources": [{"title": "бенчмарк"}],
                                  "reviewed_by": "bench", "reviewed_on": date(2026, 11, 1), "author": "bench"})
        connection.execute(insert(AnswerRevision), revisions)
        orgs, cities, org_topics = [], [], []
        for i in range(organisations):
            orgs.append({"id": i + 1, "key": f"org{i}", "name": f"Организация {i}", "kind": "ngo",
                         "nationwide": rng.random() < 0.05, "free": rng.random() < 0.8,
                         "languages": rng.sample(LANGUAGES, 2), "countries": [], "contacts": {},
                         "status": rng.choice(("active", "active", "active", "unverified", "inactive")),
                         "vetted_on": date(2026, rng.randint(1, 11), 1)})
            cities += [{"organisation_id": i + 1, "city": c} for c in rng.sample(CITIES, rng.randint(1, 3))]
            org_topics += [{"organisation_id": i + 1, "topic": t} for t in rng.sample(topics, 3)]
        connection.execute(insert(Organisation), orgs)
        connection.execute(insert(OrganisationCity), cities)
        connection.execute(insert(OrganisationTopic), org_topics)
    with engine.begin() as connection:
        # Fresh statistics, as autovacuum would have after a real import.
        connection.execute(text("ANALYZE"))
    return topics


def timings(run: Callable[[], Any], repeat: int) -> Dict[str, float]:
    """Returns p50/p95/p99/max of a call in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples, digits=3)


def measure(url: str, organisations: int, answers: int, repeat: int, runs: int = 5) -> Dict[str, Any]:
    """Fills an empty database and times lookups, `runs` sessions of `repeat` each, as the action server does."""
    upgrade(url)
    start = time.perf_counter()
    topics = fill(url, organisations, answers)
    fill_seconds = round(time.perf_counter() - start, 1)
    rng = random.Random(11)
    answer_runs, routing_runs = [], []
    for _ in range(runs):
        with session_scope(url) as session:
            answer_runs.append(timings(lambda: published_answer(
                session, rng.choice(topics), rng.choice(LANGUAGES), rng.choice(COUNTRIES)), repeat))
            routing_runs.append(timings(lambda: route(
                session, rng.choice(topics), rng.choice(CITIES), rng.choice(LANGUAGES)), repeat))
    return {"answers": answers, "organisations": organisations, "fill_seconds": fill_seconds, "runs": runs,
            "lookups_per_run": repeat, "answer_lookup": summarise(answer_runs), "routing": summarise(routing_runs)}


def main(sqlite_dir: str, postgres_url: Optional[str], out: str, organisations: int = 10_000,
         answers: int = 100_000, repeat: int = 2000, runs: int = 5) -> int:
    """Runs the benchmark on SQLite (and PostgreSQL when given), writes JSON, prints a summary."""
    Path(sqlite_dir).mkdir(parents=True, exist_ok=True)
    database = Path(sqlite_dir) / "bench-content.db"
    database.unlink(missing_ok=True)
    report = {"machine": machine(), "sqlite": measure(f"sqlite:///{database}", organisations, answers, repeat, runs)}
    if postgres_url:
        report["postgresql"] = measure(postgres_url, organisations, answers, repeat, runs)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(json.dumps(report, indent=1))
    for name in ("sqlite", "postgresql"):
        if name in report:
            r = report[name]
            print(f"{name:10s} {r['answers']} answers, {r['organisations']} organisations (filled in "
                  f"{r['fill_seconds']} s), median of {r['runs']} runs [min–max]: " + "; ".join(
                      f"{lookup} p50 {_figure(r[lookup]['p50_ms'])}, p95 {_figure(r[lookup]['p95_ms'])}"
                      for lookup in ("answer_lookup", "routing")))
    return 0


def _figure(spread: Dict[str, Any]) -> str:
    return f"{spread['median']} ms [{spread['min']}–{spread['max']}]"
