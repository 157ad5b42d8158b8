"""Reads a held-out split (tests/nlu/dev/*.yml or tests/nlu/test/*.yml) into flat, labelled examples."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import FrozenSet, List, Tuple

from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader


@dataclass(frozen=True)
class Example:
    """One held-out message with what the model should find in it."""

    text: str
    intent: str
    language: str
    style: str
    source: str  # file stem: ru, uz_latn, uz_cyrl, tg, ky
    entities: FrozenSet[Tuple[str, str]] = field(default_factory=frozenset)


def read_heldout(folder: Path) -> List[Example]:
    """Returns every example of every YAML file in a folder."""
    examples = []
    for path in sorted(Path(folder).glob("*.yml")):
        data = RasaYAMLReader().read(str(path))
        for message in data.intent_examples:
            metadata = (message.get("metadata") or {}).get("intent") or {}
            entities = frozenset(
                (e["entity"], str(e.get("value"))) for e in message.get("entities") or []
            )
            examples.append(
                Example(
                    text=message.get("text"),
                    intent=message.get("intent"),
                    language=metadata.get("language", "?"),
                    style=metadata.get("style", "plain"),
                    source=path.stem,
                    entities=entities,
                )
            )
    return examples


def length_bucket(text: str) -> str:
    """Returns the word-count bucket of a message: 1-2, 3-6 or 7+ words."""
    words = len(text.split())
    return "1-2" if words <= 2 else "3-6" if words <= 6 else "7+"
