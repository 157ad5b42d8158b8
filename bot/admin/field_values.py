"""Says an organisation field's value the way a maintainer reads it, in the page language."""

from typing import Any

from bot.admin import texts as T
from bot.admin.i18n import tr

NOTHING = "—"


def yes_no(value: Any) -> str:
    """Returns "yes" or "no" in the page language."""
    return tr(T.YES if value else T.NO)


def field_value(key: str, value: Any) -> str:
    """Returns one field's value as page text: names for codes, lists as the form writes them, a dash for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, dict):
        return "; ".join(f"{name}: {detail}" for name, detail in value.items())
    if isinstance(value, (list, tuple)):
        # The edit form separates list items with ";", so the history reads the way the form is filled in.
        return "; ".join(field_value(key, item) for item in value)
    names = T.ORG_VALUE_NAMES.get(key, {})
    return tr(names[value]) if isinstance(value, str) and value in names else str(value)
