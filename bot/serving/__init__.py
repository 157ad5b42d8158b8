"""Serving the assistant: durable, private conversations; locks across processes; a locked-down API."""
