"""Saving and loading our own scikit-learn objects inside a Rasa model archive."""

from __future__ import annotations

import logging
from typing import Any, Optional

import joblib
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


def save(obj: Any, model_storage: ModelStorage, resource: Resource, filename: str) -> None:
    """Writes an object into the component's part of the model."""
    with model_storage.write_to(resource) as directory:
        joblib.dump(obj, directory / filename)


def load(model_storage: ModelStorage, resource: Resource, filename: str, missing: str) -> Optional[Any]:
    """Reads an object back (only files this project wrote, so joblib is safe); None if absent."""
    try:
        with model_storage.read_from(resource) as directory:
            return joblib.load(directory / filename)
    except (ValueError, FileNotFoundError):
        logger.warning(missing)
        return None
