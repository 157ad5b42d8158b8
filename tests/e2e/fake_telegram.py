"""A fake Telegram Bot API server on 127.0.0.1: records every call, serves getUpdates, checks limits.

It is as strict as Telegram where the connector could go wrong: text length,
HTML that would not parse, callback_data over 64 bytes, a bad secret_token.
`GET /fake/sent` (not a Bot API method) lets a benchmark in another process wait
for a chat's messages.
"""

import asyncio
import html
import itertools
import json
import re
import threading
import time
from typing import Any, Dict, List, Optional

from aiohttp import web

TAG = re.compile(r"</?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler)(\s[^>]*)?>")
ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
JSON_FIELDS = ("reply_markup", "allowed_updates", "commands", "scope", "entities")


class FakeTelegram:
    """The Bot API of one bot, in a background thread with its own event loop."""

    def __init__(self, token: str, username: str = "hamroh_test_bot") -> None:
        self.token = token
        self.username = username
        self.bot_id = int(token.split(":")[0])
        self.calls: List[Dict[str, Any]] = []
        self.pending: List[Dict[str, Any]] = []
        self.webhook: Optional[Dict[str, Any]] = None
        self._lock = threading.Lock()
        self._message_ids = itertools.count(1000)
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._arrived: Optional[asyncio.Event] = None
        self._sent: Optional[asyncio.Condition] = None
        self._runner: Optional[web.AppRunner] = None
        self._thread: Optional[threading.Thread] = None
        self.url = ""

    # --- lifecycle (test thread) --------------------------------------------
    def start(self) -> str:
        """Starts the server on a free loopback port; returns its base URL."""
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self._loop)
            self._arrived = asyncio.Event()
            self._sent = asyncio.Condition()
            app = web.Application()
            app.router.add_route("*", "/bot{token}/{method}", self._dispatch)
            app.router.add_get("/fake/sent", self._wait_sent)
            # aiohttp 3.9 lets a handler run on after its client is gone: a long getUpdates of a poller
            # that was killed would hold up stop() for its whole timeout.
            self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            self._loop.run_until_complete(site.start())
            port = site._server.sockets[0].getsockname()[1]
            self.url = f"http://127.0.0.1:{port}"
            ready.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="fake-telegram", daemon=True)
        self._thread.start()
        ready.wait(10)
        return self.url

    def stop(self) -> None:
        """Stops the server."""
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    # --- what the tests look at (test thread) ---------------------------------
    def calls_of(self, method: str, **match: Any) -> List[Dict[str, Any]]:
        """Returns the parameters of every call of a method, optionally those with given values."""
        with self._lock:
            found = [c["params"] for c in self.calls if c["method"] == method]
        return [p for p in found if all(str(p.get(k)) == str(v) for k, v in match.items())]

    def sent_to(self, chat_id: Any) -> List[Dict[str, Any]]:
        """Returns the sendMessage calls to one chat, in order."""
        return self.calls_of("sendMessage", chat_id=chat_id)

    def enqueue(self, *updates: Dict[str, Any]) -> None:
        """Adds updates for getUpdates, as if people had written to the bot."""
        with self._lock:
            self.pending.extend(updates)
        self._loop.call_soon_threadsafe(self._arrived.set)

    def wait_for(self, predicate, seconds: float = 60) -> None:
        """Waits until a condition on the recorded calls holds."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise TimeoutError("the fake Telegram never saw what the test waited for")

    # --- the Bot API (server thread) ------------------------------------------
    async def _params(self, request: web.Request) -> Dict[str, Any]:
        params: Dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        for key in JSON_FIELDS:
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(code: int, description: str, **extra: Any) -> web.Response:
        return web.json_response({"ok": False, "error_code": code, "description": description, **extra},
                                 status=code)

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        with self._lock:
            self.calls.append({"method": method, "params": params, "at": time.monotonic(), "wall": time.time()})
        if method == "sendMessage":
            async with self._sent:
                self._sent.notify_all()
        handler = getattr(self, "_" + method, None)
        if handler is None:
            return self._error(404, "Not Found: method not found")
        return await handler(params)

    async def _getMe(self, params):
        return self._ok({"id": self.bot_id, "is_bot": True, "first_name": "Hamroh", "username": self.username})

    async def _setWebhook(self, params):
        secret = params.get("secret_token")
        if secret is not None and not SECRET.match(secret):
            return self._error(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = params
        return self._ok(True)

    async def _deleteWebhook(self, params):
        self.webhook = None
        return self._ok(True)

    async def _setMyCommands(self, params):
        commands = params.get("commands") or []
        if not all(re.match(r"^[a-z0-9_]{1,32}$", c["command"]) and 1 <= len(c["description"]) <= 256
                   for c in commands):
            return self._error(400, "Bad Request: BOT_COMMAND_INVALID")
        return self._ok(True)

    async def _answerCallbackQuery(self, params):
        return self._ok(True)

    async def _sendMessage(self, params):
        text = params.get("text") or ""
        if params.get("parse_mode") == "HTML":
            stripped = TAG.sub("", text)
            if "<" in stripped or "&" in ENTITY.sub("", stripped):
                return self._error(400, "Bad Request: can't parse entities")
            text = html.unescape(stripped)
        if not text.strip():
            return self._error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            return self._error(400, "Bad Request: message is too long")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard") or []:
            for button in row:
                if len(button.get("callback_data", "").encode("utf-8")) > 64:
                    return self._error(400, "Bad Request: BUTTON_DATA_INVALID")
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            return self._error(400, "Bad Request: chat not found")
        return self._ok({"message_id": next(self._message_ids), "date": int(time.time()),
                         "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                         "text": text})

    async def _wait_sent(self, request: web.Request) -> web.Response:
        """Waits until a chat got `count` messages (or `timeout` s pass); answers the wall-clock time of each."""
        chat_id, count = request.query["chat_id"], int(request.query.get("count", 1))
        deadline = time.monotonic() + float(request.query.get("timeout", 60))

        def times():
            with self._lock:
                return [c["wall"] for c in self.calls
                        if c["method"] == "sendMessage" and str(c["params"].get("chat_id")) == chat_id]
        async with self._sent:
            while len(times()) < count and time.monotonic() < deadline:
                try:
                    await asyncio.wait_for(self._sent.wait(), timeout=deadline - time.monotonic())
                except asyncio.TimeoutError:
                    pass
        return web.json_response({"sent_at": times()})

    async def _getUpdates(self, params):
        if self.webhook is not None:
            return self._error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while True:
            with self._lock:
                if offset:
                    # Like Telegram: asking from an offset confirms every earlier update for good.
                    self.pending = [u for u in self.pending if u["update_id"] >= offset]
                ready = list(self.pending[: int(params.get("limit") or 100)])
                self._arrived.clear()
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                return self._ok(ready)
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=remaining)
            except asyncio.TimeoutError:
                pass
