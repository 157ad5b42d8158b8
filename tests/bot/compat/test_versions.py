"""Each patch of a library's internals refuses to run on a release it was not written for."""

import importlib
import re

import pytest
from rasa.core.actions.action import RemoteAction

import bot.compat
from bot.compat import WRITTEN_FOR, UpstreamVersionError, require
from bot.compat import aiogram as aiogram_compat
from bot.compat import flask_admin as flask_admin_compat
from bot.compat import rasa as rasa_compat
from tools import CHECKOUT


@pytest.fixture
def upgraded(monkeypatch):
    """Pretends every library is installed in a release one minor version newer."""
    real = bot.compat.installed_version
    monkeypatch.setattr(bot.compat, "installed_version", lambda name: real(name) + ".1")


def test_the_installed_releases_are_the_ones_written_for():
    for distribution in WRITTEN_FOR:
        require(distribution, "bot.compat.test")  # no error


def test_another_release_is_refused_with_the_file_to_check(upgraded):
    with pytest.raises(UpstreamVersionError, match=r"bot/compat/aiogram\.py against 2\.15\.1") as refused:
        require("aiogram", "bot.compat.aiogram")
    assert "aiogram 2.15 internals" in str(refused.value)


@pytest.mark.parametrize("module", [flask_admin_compat, aiogram_compat], ids=["flask_admin", "aiogram"])
def test_importing_a_patch_on_another_release_fails(upgraded, module):
    # The check comes before any definition, so the module keeps what it had (nothing else is re-run).
    with pytest.raises(UpstreamVersionError, match=module.__name__.replace(".", "/")):
        importlib.reload(module)


def test_rasa_fix_is_not_installed_on_another_release(upgraded, monkeypatch):
    monkeypatch.setattr(RemoteAction, "_validate_action_result", rasa_compat.RASA_VALIDATE_ACTION_RESULT)
    with pytest.raises(UpstreamVersionError, match="rasa 3.6.21 internals"):
        rasa_compat.install()
    assert RemoteAction._validate_action_result is rasa_compat.RASA_VALIDATE_ACTION_RESULT


def test_written_for_matches_the_pinned_constraints():
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (CHECKOUT / "constraints.txt").read_text(), re.M))
    pins = {name.lower(): pinned for name, pinned in pins.items()}
    assert {name: pins[name.lower()] for name in WRITTEN_FOR} == WRITTEN_FOR
