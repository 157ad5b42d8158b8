"""The Rasa server's endpoints.yml, written from the shipped template (bot/endpoints.yml)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import yaml

from bot.resources import shipped

TEMPLATE = shipped("bot", "endpoints.yml")

LOCK_STORE = {"type": "bot.serving.lock_store.RedisTicketLockStore"}
"""Rasa's lock store when HAMROH_LOCK_URL names a Redis server (the class reads the URL itself)."""


def write_endpoints(path: Path, actions_port: Optional[int] = None, lock_store: bool = False,
                    actions_url: Optional[str] = None) -> Path:
    """Writes endpoints.yml: the action server on another port or at a URL, the Redis lock store."""
    endpoints = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    endpoints["action_endpoint"]["url"] = actions_url or f"http://127.0.0.1:{actions_port}/webhook"
    if lock_store:
        endpoints["lock_store"] = dict(LOCK_STORE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    return path
