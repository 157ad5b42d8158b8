"""endpoints.yml as `make run`, the end-to-end tests and the load benchmark start the assistant with."""

import yaml

from bot.endpoints import TEMPLATE, write_endpoints


def test_endpoints_point_at_the_chosen_port_and_keep_the_selective_domain(tmp_path):
    written = yaml.safe_load(write_endpoints(tmp_path / "endpoints.yml", 6123).read_text())
    assert written["action_endpoint"]["url"] == "http://127.0.0.1:6123/webhook"
    # Without it Rasa serialises the whole domain into every action call; no action reads it.
    assert written["action_endpoint"]["enable_selective_domain"] is True
    assert yaml.safe_load(TEMPLATE.read_text())["action_endpoint"]["enable_selective_domain"] is True


def test_the_endpoints_command_writes_the_file(tmp_path):
    from bot.cli import main

    assert main(["endpoints", "--actions-port", "6124", "--out", str(tmp_path / "e.yml")]) == 0
    assert "127.0.0.1:6124" in (tmp_path / "e.yml").read_text()


def test_conversations_are_kept_in_sql_and_the_redis_lock_store_joins_when_configured(tmp_path, monkeypatch):
    from bot.cli import main
    from bot.settings import get_settings

    plain = yaml.safe_load(write_endpoints(tmp_path / "plain.yml", 6125).read_text())
    assert plain["tracker_store"]["type"] == "bot.serving.tracker_store.PrivateSQLTrackerStore"
    assert "lock_store" not in plain  # one process: Rasa's in-memory lock
    monkeypatch.setenv("HAMROH_LOCK_URL", "redis://127.0.0.1:6379/0")
    get_settings.cache_clear()
    try:
        assert main(["endpoints", "--actions-port", "6126", "--out", str(tmp_path / "e.yml")]) == 0
    finally:
        get_settings.cache_clear()
    written = (tmp_path / "e.yml").read_text()
    assert yaml.safe_load(written)["lock_store"] == {"type": "bot.serving.lock_store.RedisTicketLockStore"}
    assert "redis://" not in written  # the class reads the URL from the environment


def test_without_out_the_files_go_into_the_state_folder(state_dir):
    from bot.cli import main

    assert main(["endpoints", "--actions-port", "6127"]) == 0
    assert main(["telegram-credentials"]) == 0
    assert "127.0.0.1:6127" in (state_dir / "endpoints.yml").read_text()
    assert "rest" in yaml.safe_load((state_dir / "credentials.yml").read_text())
