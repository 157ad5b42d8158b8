"""Three-way merge of a draft with what was published after it was written: never a silent revert.

A draft is written on a base (the published version its author saw). When the published version moved on, the
changes on both sides are compared field by field: when they touch different fields, they are combined; when both
changed the same field differently, that field is a conflict and the author rebases the draft.
Nested records (an organisation's contacts, its texts per language) are compared one entry at a time, so
two people who translate different languages never collide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

NESTED = ("contacts", "translations")
"""Organisation fields merged entry by entry ("translations.uz.name", "contacts.phone")."""
MISSING = None
"""What an absent entry reads as: absent and empty are the same to the bot."""


def flatten(record: Mapping[str, Any]) -> Dict[str, Any]:
    """Returns a record with its nested fields as dotted entries ({"translations.uz.name": "…"})."""
    flat: Dict[str, Any] = {}
    for key, value in record.items():
        if key in NESTED and isinstance(value, dict):
            for inner, inner_value in value.items():
                if isinstance(inner_value, dict):
                    for leaf, leaf_value in inner_value.items():
                        flat[f"{key}.{inner}.{leaf}"] = leaf_value
                else:
                    flat[f"{key}.{inner}"] = inner_value
        else:
            flat[key] = value
    return flat


def unflatten(flat: Mapping[str, Any]) -> Dict[str, Any]:
    """Returns the record of `flatten`, nested fields rebuilt; empty entries are dropped."""
    record: Dict[str, Any] = {key: {} for key in NESTED}
    for key, value in flat.items():
        parts = key.split(".")
        if parts[0] not in NESTED or len(parts) == 1:
            record[key] = value
            continue
        if value in (None, "", {}, []):
            continue
        target = record[parts[0]]
        for part in parts[1:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return record


def _value(record: Mapping[str, Any], key: str) -> Any:
    value = record.get(key, MISSING)
    return MISSING if value in ("", {}) else value


@dataclass
class Merge:
    """The outcome of combining a draft with the published version written after its base."""

    merged: Dict[str, Any]
    ours: List[str] = field(default_factory=list)  # fields the draft changed
    theirs: List[str] = field(default_factory=list)  # fields the publication changed
    conflicts: List[str] = field(default_factory=list)  # both changed, differently

    @property
    def clean(self) -> bool:
        return not self.conflicts


def three_way(base: Optional[Mapping[str, Any]], theirs: Mapping[str, Any], ours: Mapping[str, Any],
              nested: bool = True) -> Merge:
    """Combines `ours` (the draft) with `theirs` (published now) relative to `base`; `ours` wins conflicts in
    `merged`, which is then only a starting point for the author's rebase."""
    flat = flatten if nested else dict
    b, t, o = flat(base or {}), flat(theirs), flat(ours)
    keys = list(dict.fromkeys([*o, *t, *b]))
    result = Merge({})
    for key in keys:
        base_value, their_value, our_value = _value(b, key), _value(t, key), _value(o, key)
        we_changed, they_changed = our_value != base_value, their_value != base_value
        if we_changed:
            result.ours.append(key)
        if they_changed:
            result.theirs.append(key)
        if we_changed and they_changed and our_value != their_value:
            result.conflicts.append(key)
        result.merged[key] = their_value if they_changed and not we_changed else our_value
    if nested:
        result.merged = unflatten(result.merged)
    return result


def choose(base: Optional[Mapping[str, Any]], theirs: Mapping[str, Any], ours: Mapping[str, Any],
           keep_theirs: List[str]) -> Dict[str, Any]:
    """The merged record with the conflicting entries in `keep_theirs` taken from the published version."""
    merge = three_way(base, theirs, ours)
    flat = flatten(merge.merged)
    their_flat = flatten(theirs)
    for key in keep_theirs:
        if key in merge.conflicts:
            flat[key] = _value(their_flat, key)
    return unflatten(flat)
