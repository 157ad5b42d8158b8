"""Benchmarks: held-out scoring of the NLU model and its language identifier."""
