"""Engine and sessions, created on first use and cached per database URL."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import get_settings


def get_engine(url: Optional[str] = None) -> Engine:
    """Returns the engine of a database URL (the configured one by default)."""
    return _engine(url or get_settings().database_url)


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    """Creates one engine per URL (an engine is a connection pool: create it once)."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"timeout": 5})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record):  # pragma: no cover - runs inside SQLAlchemy
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # A bot must not hang on a database that is down: fail fast, answer from the cache.
    return create_engine(url, future=True, pool_pre_ping=True, connect_args={"connect_timeout": 3})


@contextmanager
def session_scope(url: Optional[str] = None) -> Iterator[Session]:
    """Yields a session that commits on success and rolls back on error."""
    session = sessionmaker(get_engine(url), future=True, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
