"""A conversation in the middle of a question survives a restart and a kill -9 of the Rasa server.

Real Rasa server and action server, the project's endpoints.yml (the SQL tracker store in the state
folder). Each conversation gets the same replies as one that was never interrupted.
"""

import os
import signal
import uuid
from pathlib import Path

import pytest
import requests

from bot import messages
from bot.i18n import translate
from tools.stack import actions_command, free_port, processes, rasa_command, wait_until_up, write_endpoints
from tests.e2e.conftest import MODEL, seeded_database, server_env

# city told, then a question that needs the citizenship: the bot asks it and waits, in the person's language.
TAJIK = ("ман дар Қазон зиндагӣ мекунам", "регистратсия чанд руз", "ман аз Тоҷикистон")
UZBEK = ("men Qozondaman", "registratsiya necha kun ichida qilinadi", "O'zbekiston fuqarosiman")


class Stack:
    """An action server that stays up and a Rasa server that is restarted, all on one state folder."""

    def __init__(self, work, env):
        self.work, self.env = work, env
        self.actions_port, self.rasa_port = free_port(), free_port()
        self.endpoints = write_endpoints(work / "endpoints.yml", self.actions_port)
        self.url = f"http://127.0.0.1:{self.rasa_port}"
        self.starts = 0

    def rasa(self):
        """Starts the Rasa server (a context manager that stops it gently at the end)."""
        self.starts += 1
        return processes([rasa_command(MODEL, self.endpoints, self.rasa_port)], self.env, self.work,
                         [f"rasa-{self.starts}"])

    def up(self, rasa):
        wait_until_up(f"{self.url}/", rasa, log=self.work / f"rasa-{self.starts}.log")

    def say(self, sender, text):
        response = requests.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                                 timeout=60)
        assert response.status_code == 200, response.text
        return [reply.get("text") for reply in response.json()]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, compiled_catalogs):
    if not MODEL.exists():
        pytest.fail(f"No trained model at {MODEL}: run `make train` (make test does it).")
    work = tmp_path_factory.mktemp("durable")
    stack = Stack(work, server_env(work, compiled_catalogs, seeded_database(work)))
    with processes([actions_command(stack.actions_port)], stack.env, work, ["actions"]) as (actions,):
        wait_until_up(f"http://127.0.0.1:{stack.actions_port}/health", actions, log=work / "actions.log")
        yield stack


def test_a_pending_question_survives_a_restart_and_a_kill(stack):
    restarted, killed = f"restart-{uuid.uuid4().hex[:6]}", f"kill-{uuid.uuid4().hex[:6]}"

    with stack.rasa() as (rasa,):
        stack.up(rasa)
        asked = [stack.say(restarted, text) for text in TAJIK[:2]][-1]
        assert asked[0] == translate(messages.ASK_CITIZENSHIP, "tg")
    # The block ended: the server was stopped the normal way (SIGTERM).

    with stack.rasa() as (rasa,):
        stack.up(rasa)
        asked = [stack.say(killed, text) for text in UZBEK[:2]][-1]
        assert asked[0] == translate(messages.ASK_CITIZENSHIP, "uz", "latn")
        os.kill(rasa.pid, signal.SIGKILL)  # no shutdown of any kind
        assert rasa.wait(timeout=30) == -signal.SIGKILL

    with stack.rasa() as (rasa,):
        stack.up(rasa)
        # The same conversations, never interrupted, give the replies to expect.
        expected = {}
        for conversation, texts in ((TAJIK, "tg"), (UZBEK, "uz")):
            sender = f"control-{texts}-{uuid.uuid4().hex[:6]}"
            expected[texts] = [stack.say(sender, text) for text in conversation][-1]
        assert stack.say(restarted, TAJIK[2]) == expected["tg"]
        assert stack.say(killed, UZBEK[2]) == expected["uz"]

    # The pending question answered for that citizenship (15 days to register), in the person's language.
    # (The answer for unknown citizenship lists every country's deadline: these sentences are the citizen's own.)
    assert "Шаҳрвандони Тоҷикистон бояд дар давоми 15 рӯз" in expected["tg"][0]
    assert "Oʻzbekiston fuqarolari kirgan kundan 15 kun" in expected["uz"][0]
    assert (Path(stack.env["HAMROH_STATE_DIR"]) / "conversations.db").exists()


def test_rasa_serves_conversations_through_the_redis_ticket_lock(tmp_path, compiled_catalogs):
    from concurrent.futures import ThreadPoolExecutor

    import redis

    from tools.stack import assistant
    from tests.bot.serving.conftest import REDIS_URL

    if not REDIS_URL:
        if os.environ.get("HAMROH_REQUIRE_REDIS"):
            pytest.fail("HAMROH_REQUIRE_REDIS is set but HAMROH_TEST_REDIS_URL is not")
        pytest.skip("no Redis server (.ci/run starts one: scripts/test-redis)")
    env = server_env(tmp_path, compiled_catalogs, seeded_database(tmp_path), HAMROH_LOCK_URL=REDIS_URL)
    server = redis.Redis.from_url(REDIS_URL)

    def scripts_run():
        stats = server.info("commandstats")
        return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("evalsha", "eval"))

    before = scripts_run()
    with assistant(MODEL, tmp_path, env) as running:
        sender = f"locked-{uuid.uuid4().hex[:6]}"

        def say(text):
            response = requests.post(f"{running.url}/webhooks/rest/webhook",
                                     json={"sender": sender, "message": text}, timeout=60)
            return response.status_code, [r.get("text") for r in response.json()]

        # Five messages of one conversation at once: each is handled in turn, none is refused.
        with ThreadPoolExecutor(max_workers=5) as pool:
            results = list(pool.map(say, ["спасибо большое"] * 5))
    assert results == [(200, [translate(messages.THANKS, "ru")])] * 5
    assert scripts_run() - before >= 5 * 3  # each message: issue, check, release
    assert server.keys("hamroh:lock:*") == []  # every ticket released
