"""Telegram settings: credentials first, environment fills gaps, unsafe secrets refused, no secret on disk."""

from pathlib import Path

import pytest
import yaml

from bot.channels.config import TelegramConfigError, load_config
from bot.channels.credentials import CONNECTOR, credentials_yaml, write_credentials
from bot.settings import Settings

TOKEN = "123456:ABC-def_ghi"
SECRET = "s3cr3t-token_with-enough-length"


def settings(**values):
    return Settings(database_url="sqlite://", content_dir=Path("content"), **values)


def test_credentials_win_and_the_environment_fills_the_gaps(tmp_path):
    config = load_config({"access_token": TOKEN, "webhook_url": "https://bot.example.org/webhooks/telegram/webhook"},
                         settings(telegram_secret=SECRET, telegram_api_url="http://127.0.0.1:9/",
                                  state_dir=tmp_path))
    assert (config.token, config.secret, config.api_url, config.bot_id) == (TOKEN, SECRET, "http://127.0.0.1:9", 123456)
    assert config.webhook_url.endswith("/webhooks/telegram/webhook") and config.state_dir == tmp_path


def test_the_stock_verify_key_still_names_the_bot():
    config = load_config({"access_token": TOKEN, "secret_token": SECRET, "verify": "@hamroh_bot"}, settings())
    assert config.bot_username == "hamroh_bot"


@pytest.mark.parametrize("secret", [None, "", "short", "CHANGE-ME-CHANGE-ME-123", "has spaces in the secret!!",
                                    "ж" * 20, "x" * 257])
def test_a_missing_weak_or_placeholder_secret_refuses_to_start(secret):
    with pytest.raises(TelegramConfigError, match="TELEGRAM_SECRET"):
        load_config({"access_token": TOKEN, "secret_token": secret}, settings())


@pytest.mark.parametrize("token", [None, "", "not-a-token", "abc:def"])
def test_a_missing_or_malformed_token_refuses_to_start(token):
    with pytest.raises(TelegramConfigError, match="TELEGRAM_TOKEN"):
        load_config({"access_token": token, "secret_token": SECRET}, settings())


def test_without_a_token_the_credentials_have_only_rest():
    assert yaml.safe_load(credentials_yaml(settings())) == {"rest": None}


def test_the_credentials_file_names_variables_never_their_values(tmp_path):
    configured = settings(telegram_token=TOKEN, telegram_secret=SECRET,
                          telegram_webhook_url="https://bot.example.org/webhooks/telegram/webhook",
                          telegram_api_url="http://127.0.0.1:8081")
    path = tmp_path / "credentials.yml"
    assert "webhook" in write_credentials(configured, path)
    text = path.read_text()
    assert TOKEN not in text and SECRET not in text
    section = yaml.safe_load(text)[CONNECTOR]
    assert section == {"access_token": "${TELEGRAM_TOKEN}", "secret_token": "${TELEGRAM_SECRET}",
                       "webhook_url": "${TELEGRAM_WEBHOOK_URL}", "api_url": "${TELEGRAM_API_URL}"}


def test_polling_mode_has_no_webhook_url():
    section = yaml.safe_load(credentials_yaml(settings(telegram_token=TOKEN, telegram_secret=SECRET)))[CONNECTOR]
    assert "webhook_url" not in section


def test_rasa_expands_the_variables_when_it_reads_the_file(tmp_path, monkeypatch):
    from rasa.shared.utils.io import read_config_file

    path = tmp_path / "credentials.yml"
    write_credentials(settings(telegram_token=TOKEN, telegram_secret=SECRET), path)
    monkeypatch.setenv("TELEGRAM_TOKEN", TOKEN)
    monkeypatch.setenv("TELEGRAM_SECRET", SECRET)
    assert read_config_file(path)[CONNECTOR] == {"access_token": TOKEN, "secret_token": SECRET}


def test_a_bad_secret_stops_the_credentials_before_rasa_starts():
    with pytest.raises(TelegramConfigError):
        credentials_yaml(settings(telegram_token=TOKEN, telegram_secret="change-me"))
