"""`hamroh db backup` and `hamroh db restore`: the content database and the conversations, SQLite or PostgreSQL.

A backup is a folder: one file per database (SQLite's online backup of the file,
or pg_dump's custom format) and `manifest.json` naming which is which. When the
content and the conversations share one database, it is dumped once.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from sqlalchemy.engine import URL, make_url

from bot.settings import Settings, get_settings

MANIFEST = "manifest.json"
FORMAT = 1


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Part:
    """One database of a backup."""

    name: str  # "content" or "conversations"
    url: str


def parts(settings: Optional[Settings] = None) -> List[Part]:
    """The databases Hamroh keeps: the knowledge base and the conversations."""
    settings = settings or get_settings()
    return [Part("content", settings.database_url), Part("conversations", settings.conversations_url)]


def _engine_name(url: URL) -> str:
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups cover SQLite and PostgreSQL, not {url.get_backend_name()}")
    return url.get_backend_name()


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copies a live SQLite database page by page (the online backup API: writers may go on meanwhile)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    reader, writer = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        reader.close()
        writer.close()


def _libpq(url: URL) -> Tuple[str, Dict[str, str]]:
    """A libpq connection URI without the password, and the environment carrying it (kept off `ps`)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(tool: str, arguments: List[str], env: Dict[str, str]) -> None:
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run([tool, *arguments], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[-2000:]}")


def _dump(url: URL, target: Path) -> None:
    if _engine_name(url) == "sqlite":
        _sqlite_copy(_sqlite_path(url), target)
        return
    uri, env = _libpq(url)
    _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
                     "--dbname", uri], env)


def _load(url: URL, source: Path) -> None:
    if _engine_name(url) == "sqlite":
        _sqlite_copy(source, _sqlite_path(url))
        return
    uri, env = _libpq(url)
    # One transaction: a failed restore leaves the database as it was.
    _run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                        "--dbname", uri, str(source)], env)


def backup(folder: Path, databases: Optional[List[Part]] = None) -> Dict[str, str]:
    """Writes a backup folder (which must not exist or be empty); returns each part's file."""
    databases = databases or parts()
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    file_of_url: Dict[str, str] = {}
    entries = {}
    for part in databases:
        url = make_url(part.url)
        engine = _engine_name(url)
        if part.url not in file_of_url:  # the same database as an earlier part is dumped once
            file_of_url[part.url] = f"{part.name}.{'sqlite' if engine == 'sqlite' else 'dump'}"
            _dump(url, folder / file_of_url[part.url])
        entries[part.name] = {"engine": engine, "file": file_of_url[part.url]}
    manifest = {"format": FORMAT, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "parts": entries}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return {name: entry["file"] for name, entry in entries.items()}


def restore(folder: Path, databases: Optional[List[Part]] = None) -> Dict[str, str]:
    """Replaces each database with its copy in a backup folder; returns each part's file."""
    databases = databases or parts()
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a Hamroh backup ({MANIFEST}: {error})") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}")
    restored: Dict[str, str] = {}
    done = set()
    for part in databases:
        entry = manifest["parts"].get(part.name)
        if entry is None:
            raise BackupError(f"The backup has no {part.name} database")
        url = make_url(part.url)
        if entry["engine"] != _engine_name(url):
            raise BackupError(f"The {part.name} backup is {entry['engine']}, the database is {_engine_name(url)}")
        if (part.url, entry["file"]) not in done:
            _load(url, folder / entry["file"])
            done.add((part.url, entry["file"]))
        restored[part.name] = entry["file"]
    return restored
