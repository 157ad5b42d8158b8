"""Helpers for driving the workspace through Flask's test client."""

import re

from bot.admin.limiter import LoginLimiter
from bot.admin.web import create_app
from tests.admin.conftest import PASSWORD

SECRET = "test-secret-" + "x" * 40
_TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def make_app(url, limiter=None, proxy_hops=0):
    app = create_app(database_url=url, secret_key=SECRET, limiter=limiter or LoginLimiter(), proxy_hops=proxy_hops)
    app.config["TESTING"] = True
    return app


def client_for(app):
    # Secure cookies travel over HTTPS only, as in a browser.
    client = app.test_client()
    client.environ_base.update({"wsgi.url_scheme": "https", "HTTP_HOST": "localhost"})
    return client


def token(client, path="/login"):
    page = client.get(path).get_data(as_text=True)
    found = _TOKEN.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def login(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token(client)})


def post(client, path, data, page="/"):
    """Posts a form with a valid CSRF token taken from a page."""
    return client.post(path, data={**data, "csrf_token": token(client, page)})


def action_reply(topic, language="ru"):
    """The bot's next reply from the real answer action, run in its own thread (and event loop)."""
    from concurrent.futures import ThreadPoolExecutor

    from actions.answers import ActionAnswer
    from tests.actions.conftest import make_tracker, run_action

    with ThreadPoolExecutor(1) as pool:
        sent, _ = pool.submit(run_action, ActionAnswer(), make_tracker(topic, language=language)).result()
    return sent[0]["text"]
