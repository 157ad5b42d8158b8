"""The shipped nginx configuration exposes only Telegram's webhook and a health check.

Each of Rasa's HTTP API paths and each of the action server's is tried on the
server that owns it (with Rasa's token, so it is really there and would answer)
and then through nginx, where it must get 403 or 404.
"""

import pytest
import requests

from tests.e2e.telegram_updates import SECRET_HEADER, TELEGRAM_SECRET, message_update, new_chat

CONVERSATION = "nginx-exposure-test"
RASA_PATHS = [
    ("GET", "/"),
    ("GET", "/version"),
    ("GET", "/status"),
    ("GET", "/domain"),
    ("GET", f"/conversations/{CONVERSATION}/tracker"),
    ("POST", f"/conversations/{CONVERSATION}/tracker/events"),
    ("PUT", f"/conversations/{CONVERSATION}/tracker/events"),
    ("GET", f"/conversations/{CONVERSATION}/story"),
    ("POST", f"/conversations/{CONVERSATION}/execute"),
    ("POST", f"/conversations/{CONVERSATION}/trigger_intent"),
    ("POST", f"/conversations/{CONVERSATION}/predict"),
    ("POST", f"/conversations/{CONVERSATION}/messages"),
    ("POST", "/model/train"),
    ("POST", "/model/test/stories"),
    ("POST", "/model/test/intents"),
    ("POST", "/model/predict"),
    ("POST", "/model/parse"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("POST", "/webhooks/rest/webhook"),
    ("GET", "/webhooks/rest/"),
    ("GET", "/webhooks/telegram/"),
]
NOT_TRIED_DIRECTLY = {("DELETE", "/model")}
"""It would unload the replica's model; nginx must refuse it all the same."""
ACTION_SERVER_PATHS = [("GET", "/health"), ("GET", "/actions"), ("POST", "/webhook")]
SPELLINGS = [
    # Other spellings of API paths that a lax proxy might let through.
    "/webhooks/telegram/webhook/../../conversations/x/tracker",
    "/webhooks/telegram/webhook/%2E%2E/%2E%2E/version",
    "//conversations/x/tracker",
    "/%63onversations/x/tracker",
    "/healthz/../version",
    "/webhooks/telegram/webhook/",
    "/webhooks/telegram/webhookx",
    "/healthz/",
    "/HEALTHZ",
]
BODY = b'{"text": "/greet", "name": "action_listen", "event": "user", "sender": "x", "message": "hi"}'
INTENT_BODY = b'{"name": "greet"}'


@pytest.fixture(scope="module", autouse=True)
def conversation(cluster):
    """The conversation the paths name exists, so its endpoints answer rather than say "not found"."""
    event = {"event": "user", "text": "/greet", "parse_data": {"intent": {"name": "greet", "confidence": 1.0}}}
    response = requests.post(f"{cluster.replica_url(0)}/conversations/{CONVERSATION}/tracker/events",
                             params={"token": cluster.layout.api_token}, json=event, timeout=30)
    assert response.status_code == 200, response.text


def send(method, url, token=None):
    params = {"token": token} if token else None
    body = INTENT_BODY if url.endswith("/trigger_intent") else BODY
    return requests.request(method, url, params=params, data=body, timeout=30,
                            headers={"Content-Type": "application/json"})


def raw(method, base, path):
    """A request with its path exactly as written (requests would normalise the dots)."""
    session = requests.Session()
    request = requests.Request(method, base + "/").prepare()
    request.url = base + path
    return session.send(request, timeout=30)


@pytest.mark.parametrize("method, path", RASA_PATHS, ids=[f"{m} {p}" for m, p in RASA_PATHS])
def test_no_rasa_path_goes_through_nginx(cluster, method, path):
    token = cluster.layout.api_token
    if (method, path) not in NOT_TRIED_DIRECTLY:
        direct = send(method, cluster.replica_url(0) + path, token)
        assert direct.status_code not in (403, 404), f"{path} is not served by the replica itself"
    through = send(method, cluster.public_url + path, token)
    assert through.status_code in (403, 404), f"nginx passed {method} {path}: {through.status_code}"


@pytest.mark.parametrize("method, path", ACTION_SERVER_PATHS, ids=[f"{m} {p}" for m, p in ACTION_SERVER_PATHS])
def test_no_action_server_path_goes_through_nginx(cluster, method, path):
    direct = send(method, cluster.action_server_url(0) + path)
    assert direct.status_code not in (403, 404), f"{path} is not served by the action server itself"
    through = send(method, cluster.public_url + path)
    assert through.status_code in (403, 404), f"nginx passed {method} {path}: {through.status_code}"


@pytest.mark.parametrize("path", SPELLINGS)
def test_other_spellings_of_api_paths_get_nothing(cluster, path):
    for method in ("GET", "POST"):
        status = raw(method, cluster.public_url, path).status_code
        assert status in (400, 403, 404), f"nginx passed {method} {path}: {status}"


def test_the_webhook_takes_only_posts_and_the_health_check_only_gets(cluster):
    assert requests.get(cluster.public_url + "/healthz", timeout=10).json() == {"status": "ok"}
    assert requests.get(cluster.webhook_url, timeout=10).status_code == 403
    assert requests.post(cluster.public_url + "/healthz", timeout=10).status_code == 403
    update = message_update(new_chat(), "ru", "/start")
    assert requests.post(cluster.webhook_url, json=update, headers={SECRET_HEADER: TELEGRAM_SECRET},
                         timeout=60).status_code == 200
    # The secret is still the connector's to check: nginx adds no way around it.
    assert requests.post(cluster.webhook_url, json=message_update(new_chat(), "ru", "/start"),
                         timeout=60).status_code == 403


def test_the_internal_action_listener_takes_only_rasas_action_calls(cluster):
    internal = f"http://127.0.0.1:{cluster.layout.actions_port}"
    for method, path in (("GET", "/health"), ("GET", "/actions"), ("GET", "/webhook")):
        assert send(method, internal + path).status_code in (403, 404), path
    # What Rasa sends: an action call (an unknown action is the action server's 404 JSON, not nginx's page).
    call = requests.post(internal + "/webhook", json={"next_action": "action_no_such", "tracker": {
        "sender_id": "x", "slots": {}, "latest_message": {}, "events": []}, "domain": {}}, timeout=30)
    assert call.headers["Content-Type"].startswith("application/json"), call.text
