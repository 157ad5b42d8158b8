"""Masked copies of Rasa events: what a person typed is stored without phone, document numbers or e-mails."""

from __future__ import annotations

import copy
from typing import Any, Dict

from bot.privacy import mask

RASA_METADATA = {"model_id", "assistant_id"}
"""Identifiers Rasa adds to every event's metadata: hex, never personal, left as they are."""


def _masked(value: Any) -> Any:
    """Masks every string inside a value (metadata and slot values can nest)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def _mask_entities(entities: Any) -> None:
    for entity in entities if isinstance(entities, list) else []:
        if isinstance(entity, dict) and "value" in entity:
            entity["value"] = _masked(entity["value"])


def _mask_metadata(holder: Dict[str, Any]) -> None:
    if isinstance(holder.get("metadata"), dict):
        holder["metadata"] = {key: value if key in RASA_METADATA else _masked(value)
                              for key, value in holder["metadata"].items()}


def masked_event(data: Dict[str, Any]) -> Dict[str, Any]:
    """Returns a copy of an event's dict with the person's words and everything said about them masked.

    Masked: a user message's text, its parse data's text, entity values and metadata,
    any event's entities and metadata, and slot values. Not the bot's own messages:
    they hold only vetted content (an organisation's phone number is not personal).
    """
    data = copy.deepcopy(data)
    event = data.get("event")
    if event == "user" and isinstance(data.get("text"), str):
        data["text"] = mask(data["text"])
    parse_data = data.get("parse_data")
    if isinstance(parse_data, dict):
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = mask(parse_data["text"])
        _mask_entities(parse_data.get("entities"))
        _mask_metadata(parse_data)  # Rasa copies the message's metadata into its parse data
    _mask_entities(data.get("entities"))
    _mask_metadata(data)
    if event == "slot":
        data["value"] = _masked(data.get("value"))
    return data
