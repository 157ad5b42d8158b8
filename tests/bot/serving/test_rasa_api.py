"""The Rasa API token: generated once, private to its owner, passed to Rasa off the command line."""

import stat

import pytest

from bot.serving import rasa_api
from bot.settings import get_settings


@pytest.fixture
def state(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMROH_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("HAMROH_RASA_TOKEN", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_the_token_is_generated_once_and_readable_by_its_owner_only(state):
    assert rasa_api.api_token(create=False) is None
    token = rasa_api.api_token()
    assert len(token) >= 40 and rasa_api.api_token() == token
    assert stat.S_IMODE((state / "rasa-api-token").stat().st_mode) == 0o600


def test_a_configured_token_wins(state, monkeypatch):
    monkeypatch.setenv("HAMROH_RASA_TOKEN", "configured-token-value")
    get_settings.cache_clear()
    assert rasa_api.api_token() == "configured-token-value"
    assert not (state / "rasa-api-token").exists()


def test_api_urls_carry_the_token_when_there_is_one(state):
    assert rasa_api.api_url("http://127.0.0.1:5005/", "/model/parse") == "http://127.0.0.1:5005/model/parse"
    token = rasa_api.api_token()
    assert rasa_api.api_url("http://h:1", "/model/parse") == f"http://h:1/model/parse?token={token}"
    assert rasa_api.api_url("http://h:1", "/status?x=1").endswith(f"?x=1&token={token}")


def test_rasa_runs_with_the_api_on_behind_the_token():
    assert rasa_api.rasa_arguments(["--port", "5005"], "t0k") == [
        "rasa", "run", "--port", "5005", "--enable-api", "--auth-token", "t0k"]
