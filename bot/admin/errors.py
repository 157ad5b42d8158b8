"""Errors the workspace shows to the person who caused them."""


class WorkflowError(ValueError):
    """An action the rules forbid (e.g. approving one's own draft); the message says why."""
