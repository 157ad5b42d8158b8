"""`make cluster` and `make cluster-stop`: the cluster runs in the background, long-polls through nginx, stops.

Run before the cluster tests' shared cluster starts (see CLUSTER_TESTS in the
Makefile), so that two clusters are never up at once.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tools.servers import alive, pid_in, wait_for
from tools.stack import free_port
from tests.e2e.conftest import MODEL
from tests.e2e.telegram_updates import TELEGRAM_TOKEN, message_update, new_chat
from tools import CHECKOUT


@pytest.fixture
def folder():
    # PostgreSQL runs as its own user and must reach its files: not pytest's private temporary folder.
    path = Path(tempfile.mkdtemp(prefix="hamroh-cluster-command-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def command(folder, *args, env):
    return subprocess.run([sys.executable, "-m", "tools.cluster", "--dir", str(folder), *args], cwd=CHECKOUT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_the_cluster_starts_in_the_background_long_polls_through_nginx_and_stops(folder, fake_telegram,
                                                                               compiled_catalogs):
    env = {**os.environ, "TELEGRAM_TOKEN": TELEGRAM_TOKEN, "TELEGRAM_API_URL": fake_telegram.url,
           "HAMROH_LOCALES_DIR": str(compiled_catalogs)}
    for name in ("TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET", "TELEGRAM_BOT_USERNAME"):
        env.pop(name, None)
    without_token = {k: v for k, v in env.items() if k != "TELEGRAM_TOKEN"}
    refused = command(folder, "start", env=without_token)
    assert refused.returncode == 2 and "TELEGRAM_TOKEN" in refused.stderr
    port = free_port()
    started = command(folder, "start", "--replicas", "1", "--action-servers", "1", "--port", str(port),
                      "--model", str(MODEL), env=env)
    try:
        assert started.returncode == 0, started.stderr[-3000:]
        assert f"http://127.0.0.1:{port}/webhooks/telegram/webhook" in started.stdout
        assert command(folder, "status", env=env).returncode == 0
        # Started twice: refused, the running one untouched.
        assert command(folder, "start", "--port", str(free_port()), env=env).returncode == 1

        # Long polling (no webhook URL): an update queued at the Bot API is answered through nginx.
        chat = new_chat()
        fake_telegram.enqueue(message_update(chat, "ru", "/start"))
        fake_telegram.wait_for(lambda: fake_telegram.sent_to(chat), seconds=60)
        # nginx logs the update once Rasa has answered it (the sender may send the reply before or after).
        wait_for(lambda: "POST /webhooks/telegram/webhook" in (folder / "nginx" / "access.log").read_text(), 30,
                 "the poller's update in nginx's log")
        pids = json.loads((folder / "cluster.json").read_text())["pids"]
        assert set(pids) == {"rasa-1", "actions-1", "telegram-send", "telegram-poll"}
        running = [*pids.values(), pid_in(folder / "nginx" / "nginx.pid"), pid_in(folder / "redis" / "redis.pid"),
                   pid_in(folder / "postgres" / "postmaster.pid")]
        assert len(running) == 7 and all(alive(pid) for pid in running)
    finally:
        stopped = command(folder, "stop", env=env)
    assert stopped.returncode == 0, stopped.stderr[-3000:]
    assert not any(alive(pid) for pid in running)
    assert command(folder, "status", env=env).returncode == 1
