"""Closing aiogram 2.15's HTTP session in the event loop that opened it.

aiogram 2.15 keeps its aiohttp session in the private `Bot._session`; the public
`Bot.session` property opens a new one when none is open, which is the opposite
of what a shutdown wants. A session left open, or closed from another loop,
ends in "Event loop is closed" on the next update (see the design notes on
Rasa's Telegram connector).
"""

from __future__ import annotations

from typing import Any

from bot.compat import require

require("aiogram", __name__)


async def close_session(bot: Any) -> None:
    """Closes the bot's aiohttp session if one is open; never opens one."""
    session = bot._session
    if session is not None and not session.closed:
        await session.close()
