"""Tracker fixtures for action tests: what Rasa sends the action server."""

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DETECTED = {
    "ru": {"code": "ru", "script": "cyrl", "confidence": 0.99},
    "uz": {"code": "uz", "script": "latn", "confidence": 0.99},
    "tg": {"code": "tg", "script": "cyrl", "confidence": 0.99},
    "ky": {"code": "ky", "script": "cyrl", "confidence": 0.99},
}
SENTENCES = {
    "ru": "как сделать регистрацию",
    "uz": "registratsiya qanday qilinadi",
    "tg": "бақайдгирӣ чӣ тавр мешавад",
    "ky": "каттоодон кантип өтөм",
}


def make_tracker(intent="greet", text=None, language="ru", slots=None, entities=None,
                 ranking=None, detection=None, metadata=None):
    """Builds the tracker Rasa would send after one user message."""
    latest = {
        "text": SENTENCES.get(language, "") if text is None else text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
        "entities": entities or [],
        "language": DETECTED.get(language) if detection is None else detection,
        "metadata": metadata or {},
    }
    return Tracker("user-1", dict(slots or {}), latest, [], False, None, {}, "action_listen")


def run_action(action, tracker):
    """Runs an action; returns (messages sent, events returned)."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.fixture
def tracker_factory():
    return make_tracker
