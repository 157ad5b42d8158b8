"""Shared fixtures: the hostile inputs every component must survive."""

import pytest

BAD_INPUTS = {
    "empty": "",
    "spaces": "   \n\t ",
    "huge": "регистрация " * 850,  # ~10,000 characters
    "emoji": "😀🙏🇺🇿👍",
    "punctuation": "?!...,,;:--",
    "mixed_scripts": "Salom привет ҳужжат qayerda registratsiya??",
    "right_to_left": "مرحبا كيف حالك שלום",
    "zero_width": "ре\u200bгис\u200cтра\u200dция\ufeff",
    "control": "patent\x00\x07\x1b[31m narxi",
    "bidi_override": "\u202eтнетап\u202c",
    "lone_surrogate_like": "a\udcff b",
}


@pytest.fixture(params=sorted(BAD_INPUTS), ids=sorted(BAD_INPUTS))
def bad_input(request):
    """One hostile message at a time."""
    return BAD_INPUTS[request.param]
