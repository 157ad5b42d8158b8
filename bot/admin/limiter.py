"""The limit on failed sign-ins, kept in the database: it holds across workspace processes and restarts."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.content.models import LoginFailure, utcnow


@dataclass(frozen=True)
class LoginKeys:
    """Who is trying, as keyed hashes: the clear address and username are never stored."""

    address: str
    user: str


def login_keys(secret: str, address: str, username: str) -> LoginKeys:
    """Hashes the client address and the username with the workspace's secret key (HMAC-SHA256)."""
    # Keyed, not plain SHA-256: every IPv4 address is hashed in minutes, so a plain hash would be no disguise.
    def digest(kind: str, value: str) -> str:
        return hmac.new(secret.encode(), f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    return LoginKeys(digest("address", address), digest("user", username.strip().lower()))


class LoginLimiter:
    """Allows a few failed sign-ins per address and per username in a sliding window."""

    def __init__(self, attempts: int = 5, window_seconds: float = 900.0,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.attempts = attempts
        self.window = timedelta(seconds=window_seconds)
        self.clock = clock

    def blocked(self, session: Session, keys: LoginKeys) -> bool:
        """True while either the address or the username has too many failures in the window."""
        since = self.clock() - self.window
        for column, key in ((LoginFailure.address_key, keys.address), (LoginFailure.user_key, keys.user)):
            count = session.scalar(select(func.count(LoginFailure.id)).where(column == key, LoginFailure.at > since))
            if count >= self.attempts:
                return True
        return False

    def failed(self, session: Session, keys: LoginKeys) -> None:
        """Counts one failed sign-in and forgets failures that left the window (the table stays small)."""
        now = self.clock()
        session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window)
                        .execution_options(synchronize_session=False))
        session.add(LoginFailure(address_key=keys.address, user_key=keys.user, at=now))
        session.flush()

    def succeeded(self, session: Session, keys: LoginKeys) -> None:
        """Forgets the username's failures; the address keeps its count (one address guessing many names)."""
        session.execute(delete(LoginFailure).where(LoginFailure.user_key == keys.user)
                        .execution_options(synchronize_session=False))
