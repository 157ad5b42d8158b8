"""The inbox: questions the bot could not answer, grouped, and filed under a topic as training suggestions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.admin import reasons as R
from bot.admin.audit import record as audit
from bot.admin.errors import WorkflowError
from bot.content.models import UnansweredQuestion, utcnow
from bot.nlu.normalize import fold_text
from bot.registry import DOMAIN_TOPICS

SIMILARITY = 0.8
"""Folded texts at least this alike (difflib ratio) are one group: typos and word order barely matter."""
RECENT = 5000
"""Questions grouped per page; older ones still count once they are filed."""


@dataclass
class QuestionGroup:
    """Similar questions in one language, newest text shown first."""

    language: str
    text: str
    ids: List[int] = field(default_factory=list)
    guesses: Dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.ids)

    @property
    def best_guess(self) -> Optional[str]:
        return max(self.guesses, key=self.guesses.get) if self.guesses else None


def _key(text: str) -> str:
    # Sorted words: "patent narxi qancha" and "qancha patent narxi" are the same question.
    return " ".join(sorted(set(fold_text(text).split())))


def inbox_groups(session: Session) -> List[QuestionGroup]:
    """Returns the open questions grouped by similar text within each language, largest groups first."""
    rows = session.execute(
        select(UnansweredQuestion).where(UnansweredQuestion.covered_topic.is_(None))
        .order_by(UnansweredQuestion.created_at.desc(), UnansweredQuestion.id.desc()).limit(RECENT)
    ).scalars().all()
    groups: List[QuestionGroup] = []
    keys: List[str] = []
    for row in rows:
        key, language = _key(row.text), row.language or "?"
        match = None
        for index, group in enumerate(groups):
            if group.language == language and (
                    keys[index] == key or difflib.SequenceMatcher(None, keys[index], key).ratio() >= SIMILARITY):
                match = group
                break
        if match is None:
            match = QuestionGroup(language, row.text)
            groups.append(match)
            keys.append(key)
        match.ids.append(row.id)
        if row.best_guess:
            match.guesses[row.best_guess] = match.guesses.get(row.best_guess, 0) + 1
    return sorted(groups, key=lambda g: (-g.count, g.language, g.text))


def mark_covered(session: Session, ids: Sequence[int], topic: str, user: str) -> int:
    """Files questions under a topic; they become training-data suggestions for that intent."""
    if topic not in DOMAIN_TOPICS:
        raise WorkflowError(R.UNKNOWN_TOPIC, topic=topic)
    rows = session.execute(select(UnansweredQuestion).where(
        UnansweredQuestion.id.in_(list(ids)), UnansweredQuestion.covered_topic.is_(None))).scalars().all()
    for row in rows:
        row.covered_topic, row.covered_by, row.covered_at = topic, user, utcnow()
    if rows:
        audit(session, user, "cover_questions", topic, f"{len(rows)} questions")
    session.flush()
    return len(rows)


def nlu_suggestions(session: Session) -> str:
    """Returns the filed questions as Rasa NLU YAML, one block per intent and language, for a trainer to review."""
    rows = session.execute(select(UnansweredQuestion).where(UnansweredQuestion.covered_topic.is_not(None))
                           .order_by(UnansweredQuestion.covered_topic, UnansweredQuestion.language,
                                     UnansweredQuestion.id)).scalars().all()
    blocks: Dict[tuple, List[str]] = {}
    for row in rows:
        text = " ".join(row.text.split())
        examples = blocks.setdefault((row.covered_topic, row.language or "ru"), [])
        if text and text not in examples:
            examples.append(text)
    nlu = [{"intent": topic, "metadata": {"language": language},
            "examples": "".join(f"- {e}\n" for e in examples)} for (topic, language), examples in blocks.items()]

    class _Literal(str):
        pass

    dumper = type("SuggestionDumper", (yaml.SafeDumper,), {})
    dumper.add_representer(_Literal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:str", v, style="|"))
    for block in nlu:
        block["examples"] = _Literal(block["examples"])
    header = ("# Suggested training examples from the inbox (hamroh nlu suggestions).\n"
              "# Review them, then move the good ones into data/nlu/<language>.yml.\n")
    return header + yaml.dump({"version": "3.1", "nlu": nlu}, Dumper=dumper, allow_unicode=True, sort_keys=False)


def write_suggestions(session: Session, path: Path) -> int:
    """Writes the suggestion file; returns how many examples it holds."""
    text = nlu_suggestions(session)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return sum(len(block["examples"].splitlines()) for block in (yaml.safe_load(text) or {}).get("nlu") or [])
