"""Talking to a person: a conversation handed from the bot to an NGO consultant in the same Telegram chat."""
