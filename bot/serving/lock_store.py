"""A conversation lock shared by Rasa replicas: Redis tickets issued atomically, in order, with expiry.

Rasa Open Source 3.6's RedisLockStore reads a conversation's lock, adds a ticket
in memory and writes the whole lock back; two replicas doing that at once hand
out the same ticket and both handle the conversation (README, "Locks across
processes"). Here every step is one Lua script, which Redis runs atomically:

- a ticket's number comes from INCR, so no two requests get the same one;
- the queue is a sorted set by number; the lowest ticket that has not expired
  holds the lock;
- a ticket expires after the lock lifetime (a replica killed while holding it
  stops blocking the conversation then);
- each ticket has a random id, so a command retried after a lost connection
  finds its ticket instead of queueing a second one.

endpoints.yml: `lock_store: {type: bot.serving.lock_store.RedisTicketLockStore}`; the server is
HAMROH_LOCK_URL (`redis://host:port/db`). `hamroh endpoints` writes that section when it is set.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text

import redis
import redis.asyncio
from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore

from bot.settings import get_settings

logger = logging.getLogger(__name__)

KEY_PREFIX = "hamroh:lock:"
POLL_SECONDS = (0.002, 0.05)
"""First and longest wait between checks while another request holds the conversation (doubling)."""

_NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000)\n"
# The server's clock, not each replica's: expiry means the same to all of them.

ISSUE = _NOW_MS + """
local queue, expiry, counter = KEYS[1], KEYS[2], KEYS[3]
local ticket, lifetime = ARGV[1], tonumber(ARGV[2])
local number = redis.call('ZSCORE', queue, ticket)
if not number then
  number = redis.call('INCR', counter)
  redis.call('ZADD', queue, number, ticket)
  redis.call('HSET', expiry, ticket, now + lifetime)
end
-- The keys outlive every ticket in them, then vanish by themselves.
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < lifetime then redis.call('PEXPIRE', key, lifetime) end
end
return tonumber(number)
"""

# 1: this ticket holds the lock; 0: it waits; -1: it expired (or the server lost it).
CHECK = _NOW_MS + """
local queue, expiry = KEYS[1], KEYS[2]
local ticket = ARGV[1]
while true do
  local first = redis.call('ZRANGE', queue, 0, 0)[1]
  if not first then return -1 end
  local expires = tonumber(redis.call('HGET', expiry, first) or '0')
  if expires > now then
    if first == ticket then return 1 end
    local mine = tonumber(redis.call('HGET', expiry, ticket) or '0')
    if mine <= now then
      redis.call('ZREM', queue, ticket)
      redis.call('HDEL', expiry, ticket)
      return -1
    end
    return 0
  end
  redis.call('ZREM', queue, first)
  redis.call('HDEL', expiry, first)
end
"""

RELEASE = """
local queue, expiry, counter = KEYS[1], KEYS[2], KEYS[3]
redis.call('ZREM', queue, ARGV[1])
redis.call('HDEL', expiry, ARGV[1])
-- Nobody queued: start over. Atomic, so no ticket can be issued between the check and the delete.
if redis.call('ZCARD', queue) == 0 then redis.call('DEL', queue, expiry, counter) end
return 1
"""


class RedisTicketLockStore(LockStore):
    """Rasa lock store whose tickets are safe across processes and machines."""

    def __init__(self, endpoint_config: Any = None, url: Optional[Text] = None,
                 key_prefix: Text = KEY_PREFIX) -> None:
        url = url or getattr(endpoint_config, "url", None) or get_settings().lock_url
        if not url:
            raise ValueError("RedisTicketLockStore needs a Redis URL: set HAMROH_LOCK_URL (redis://host:port/db)")
        self.url = url
        self.key_prefix = key_prefix
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._scripts: dict = {}
        super().__init__()

    def _keys(self, conversation_id: Text) -> list:
        # The braces keep a conversation's keys on one Redis Cluster node, as a script needs.
        base = self.key_prefix + "{" + conversation_id + "}"
        return [base + ":queue", base + ":expiry", base + ":counter"]

    def _script(self, source: str) -> Any:
        # An asyncio client belongs to the event loop it was made in (Rasa has one; tests make several).
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            client = redis.asyncio.Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
            self._loop, self._scripts = loop, {code: client.register_script(code) for code in (ISSUE, CHECK, RELEASE)}
        return self._scripts[source]

    async def _run(self, source: str, conversation_id: Text, *args: Any) -> int:
        """Runs a script; once more after a dropped connection (each script is safe to repeat)."""
        script = self._script(source)
        try:
            return int(await script(keys=self._keys(conversation_id), args=list(args)))
        except (redis.ConnectionError, redis.TimeoutError):
            logger.warning("Redis connection lost; retrying once")
            return int(await script(keys=self._keys(conversation_id), args=list(args)))

    async def issue(self, conversation_id: Text, ticket: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Queues a ticket for a conversation; returns its number."""
        return await self._run(ISSUE, conversation_id, ticket, int(lock_lifetime * 1000))

    async def release(self, conversation_id: Text, ticket: Text) -> None:
        """Removes a ticket, letting the next one in."""
        await self._run(RELEASE, conversation_id, ticket)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = POLL_SECONDS[1]) -> AsyncGenerator[TicketLock, None]:
        """Holds the conversation's lock for the block; raises LockError when the ticket expired waiting."""
        ticket = uuid.uuid4().hex
        try:
            await self.issue(conversation_id, ticket, lock_lifetime)
        except redis.RedisError as error:
            raise LockError(f"Could not queue for the lock of a conversation: {error}") from error
        try:
            wait, longest = POLL_SECONDS[0], min(wait_time_in_seconds, POLL_SECONDS[1])
            while True:
                state = await self._run(CHECK, conversation_id, ticket)
                if state == 1:
                    break
                if state == -1:
                    raise LockError(f"Lock ticket for conversation '{conversation_id}' expired while waiting")
                await asyncio.sleep(wait)
                wait = min(wait * 2, longest)
            yield TicketLock(conversation_id)
        finally:
            try:
                await self.release(conversation_id, ticket)
            except redis.RedisError:
                # The ticket expires with the lock lifetime; nothing else waits on this release.
                logger.warning("Could not release a conversation lock; it expires by itself")

    # Rasa's synchronous LockStore interface reads and writes whole locks: exactly the race this store avoids.
    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        raise NotImplementedError("RedisTicketLockStore is used through lock()")

    def delete_lock(self, conversation_id: Text) -> None:
        raise NotImplementedError("RedisTicketLockStore is used through lock()")

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError("RedisTicketLockStore is used through lock()")
