"""A terminal chat with a running assistant over Rasa's REST channel, buttons numbered."""

from __future__ import annotations

from typing import Dict, List

import requests


def render(replies: List[Dict]) -> List[Dict]:
    """Prints the bot's replies; returns their buttons in the numbered order shown."""
    buttons: List[Dict] = []
    for reply in replies:
        if reply.get("text"):
            print(f"\033[36m{reply['text']}\033[0m")
        for button in reply.get("buttons") or []:
            buttons.append(button)
            print(f"  [{len(buttons)}] {button.get('title')}")
    return buttons


def chat(url: str, sender: str) -> int:
    """Reads lines from the terminal and shows the answers; a number presses a button."""
    webhook = url.rstrip("/") + "/webhooks/rest/webhook"
    print("Hamroh — type a message, a button number, or Ctrl-D to leave.")
    buttons: List[Dict] = []
    while True:
        try:
            text = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            response = requests.post(webhook, json={"sender": sender, "message": text}, timeout=30)
            response.raise_for_status()
        except requests.RequestException as error:
            print(f"Cannot reach the assistant at {url} ({error}). Is `make run` running?")
            continue
        buttons = render(response.json())
