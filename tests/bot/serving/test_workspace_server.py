"""`hamroh admin` serves the NGO workspace under waitress, not Flask's development server."""

import os
import subprocess
import sys

import requests

from bot.content.migrate import upgrade
from tools.stack import free_port, wait_until_up
from tools import CHECKOUT


def test_the_workspace_is_served_by_waitress_on_loopback(tmp_path):
    database = f"sqlite:///{tmp_path / 'hamroh.db'}"
    upgrade(database)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database, "HAMROH_STATE_DIR": str(tmp_path)}
    server = subprocess.Popen([sys.executable, "-m", "bot.cli", "admin", "--host", "127.0.0.1", "--port", str(port)],
                              cwd=CHECKOUT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/login", server, seconds=60)
        response = requests.get(f"http://127.0.0.1:{port}/login", timeout=10)
        assert response.status_code == 200 and "csrf_token" in response.text
        # waitress names itself as told; Flask's development server says "Werkzeug/…".
        assert response.headers["Server"] == "hamroh"
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode(errors="replace")
    assert "development server" not in output
