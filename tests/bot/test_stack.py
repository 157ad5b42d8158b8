"""The endpoints `make run`, the end-to-end tests and the load benchmark start the assistant with."""

import yaml

from bot.stack import ENDPOINTS, write_endpoints


def test_endpoints_point_at_the_chosen_port_and_keep_the_selective_domain(tmp_path):
    written = yaml.safe_load(write_endpoints(tmp_path / "endpoints.yml", 6123).read_text())
    assert written["action_endpoint"]["url"] == "http://127.0.0.1:6123/webhook"
    # Without it Rasa serialises the whole domain into every action call; no action reads it.
    assert written["action_endpoint"]["enable_selective_domain"] is True
    assert yaml.safe_load(ENDPOINTS.read_text())["action_endpoint"]["enable_selective_domain"] is True


def test_the_endpoints_command_writes_the_file(tmp_path):
    from bot.cli import main

    assert main(["endpoints", "--actions-port", "6124", "--out", str(tmp_path / "e.yml")]) == 0
    assert "127.0.0.1:6124" in (tmp_path / "e.yml").read_text()
