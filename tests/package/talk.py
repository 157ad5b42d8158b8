"""Run inside the fresh virtualenv: parse one message and answer it, with the installed package only.

Prints JSON: where `bot` was imported from, the parse result and the bot's replies.
"""

import asyncio
import json
import sys

from rasa.core.agent import load_agent
from rasa.core.utils import AvailableEndpoints


async def talk(model: str, endpoints: str, text: str) -> dict:
    agent = await load_agent(model_path=model, endpoints=AvailableEndpoints.read_endpoints(endpoints))
    parsed = await agent.parse_message(text)
    replies = await agent.handle_text(text, sender_id="wheel-test")
    return {"parse": {"intent": parsed["intent"]["name"], "language": parsed.get("language")},
            "replies": [reply.get("text", "") for reply in replies]}


if __name__ == "__main__":
    import bot

    result = asyncio.run(talk(*sys.argv[1:4]))
    print(json.dumps({"bot": bot.__file__, **result}, ensure_ascii=False))
