"""Thin Rasa custom actions: read slots, call bot/, dispatch."""
