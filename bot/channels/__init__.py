"""Messaging channels beyond Rasa's REST one: the Telegram connector and its poller."""
