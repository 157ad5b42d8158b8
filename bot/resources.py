"""Data files that travel inside the package (catalogs, seed content, lexicons, templates).

Read through importlib.resources, never through a path built from the checkout,
so an installed wheel finds them wherever it is installed. Wheels install
unzipped, so each is a real file or folder that Babel, Alembic and the content
loader can open by path.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped(package: str, name: str) -> Path:
    """The path of a file or folder shipped in a package, e.g. shipped("bot.nlu", "gazetteer.yml")."""
    found = files(package) / name
    if not isinstance(found, Path):  # a zipped install: nothing here can read from a zip
        raise RuntimeError(f"{package}/{name} is inside an archive; install Hamroh unzipped (pip install).")
    return found
