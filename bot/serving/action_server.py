"""Runs the action server (rasa_sdk) on the loopback interface unless HAMROH_ACTIONS_HOST says otherwise.

rasa_sdk 3.6 has no interface option and listens on every interface (0.0.0.0) unless SANIC_HOST is
set; the actions answer anyone who reaches them, so only the Rasa server next to them should.
"""

from __future__ import annotations

import os

from bot.quiet import hide_upstream_deprecations
from bot.settings import get_settings


def main() -> None:
    """Starts `python -m rasa_sdk` with the same options, bound to HAMROH_ACTIONS_HOST (127.0.0.1)."""
    os.environ["SANIC_HOST"] = get_settings().actions_host
    hide_upstream_deprecations()
    from rasa_sdk.__main__ import main as sdk_main

    sdk_main()


if __name__ == "__main__":
    main()
