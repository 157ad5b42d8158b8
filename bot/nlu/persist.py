"""Saving and loading our components' parts inside a Rasa model archive, as data only.

scikit-learn objects go through skops (the format Rasa 3.6's own
LogisticRegressionClassifier uses), which rebuilds objects from a list of
trusted types instead of unpickling code; everything else is JSON. Loading a
model can therefore never run code that an archive smuggles in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import numpy as np
import skops.io as sio
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


TRUSTED_TYPES = ("scipy.sparse._csr.csr_matrix",)
"""Types beyond skops' own scikit-learn defaults that our pipelines hold (tf-idf's idf diagonal)."""


class UntrustedModelError(ValueError):
    """A model part holds a type that a data-only model never needs."""


def column_major_weights(obj: Any) -> Any:
    """Stores the weights of a fitted linear model (or a pipeline's) column-major; predictions are unchanged.

    scikit-learn scores with `X @ coef_.T`; with row-major weights scipy copies
    the whole matrix (33 intents × 40,000 features, 10 MB) on every message:
    1.6 ms of 5 ms per parse, on the server's busiest core. skops keeps the order.
    """
    for step in getattr(obj, "steps", None) or [(None, obj)]:
        estimator = step[1]
        if isinstance(getattr(estimator, "coef_", None), np.ndarray):
            estimator.coef_ = np.asfortranarray(estimator.coef_)
    return obj


def save_estimator(estimator: Any, model_storage: ModelStorage, resource: Resource, filename: str) -> None:
    """Writes a fitted scikit-learn object into the component's part of the model (skops)."""
    with model_storage.write_to(resource) as directory:
        sio.dump(column_major_weights(estimator), directory / filename)


def _part(model_storage: ModelStorage, resource: Resource, filename: str) -> Optional[Path]:
    """Returns the path of a file the component wrote, None if it wrote none."""
    try:
        with model_storage.read_from(resource) as directory:  # the storage's own folder, not a copy
            path = directory / filename
    except ValueError:  # Rasa's storage says so for a resource that was never written
        return None
    return path if path.exists() else None


def load_estimator(model_storage: ModelStorage, resource: Resource, filename: str) -> Optional[Any]:
    """Reads a scikit-learn object back; None if absent, UntrustedModelError if it holds other types."""
    path = _part(model_storage, resource, filename)
    if path is None:
        return None
    untrusted = sorted(set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES))
    if untrusted:
        raise UntrustedModelError(f"{resource.name}/{filename} holds types a Hamroh model never contains, "
                                  f"refused: {', '.join(untrusted)}")
    return sio.load(path, trusted=list(TRUSTED_TYPES))


def save_json(data: Any, model_storage: ModelStorage, resource: Resource, filename: str) -> None:
    """Writes plain data (lists, dicts, strings, numbers) into the component's part of the model."""
    with model_storage.write_to(resource) as directory:
        (directory / filename).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def load_json(model_storage: ModelStorage, resource: Resource, filename: str) -> Optional[Any]:
    """Reads plain data back; None if absent."""
    path = _part(model_storage, resource, filename)
    return None if path is None else json.loads(path.read_text(encoding="utf-8"))
