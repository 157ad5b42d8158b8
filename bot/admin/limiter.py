"""The limit on failed sign-ins, kept in the database: it holds across workspace processes and restarts.

Failures are counted per client address and per account. An address with too many failures is stopped for every
account. An account with too many failures (from many addresses: someone guessing its password) is closed only
to the addresses that guessed wrong for it, so an attacker can never lock an NGO worker out: their correct
password still works from their own address.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, Optional

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from bot.content.models import LoginFailure, utcnow

ADDRESS, ACCOUNT = "address", "account"
"""What a lock-out is about (the audit log's detail)."""


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
    """Allows a few failed sign-ins per address, and more per account, in a sliding window."""

    def __init__(self, attempts: int = 5, window_seconds: float = 900.0, account_attempts: Optional[int] = None,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.attempts = attempts
        self.account_attempts = account_attempts if account_attempts is not None else 4 * attempts
        self.window = timedelta(seconds=window_seconds)
        self.clock = clock

    def _count(self, session: Session, *conditions) -> int:
        since = self.clock() - self.window
        return session.scalar(select(func.count(LoginFailure.id)).where(and_(*conditions), LoginFailure.at > since))

    def blocked(self, session: Session, keys: LoginKeys) -> bool:
        """True while the address has too many failures, or the account has and this address is among its guessers."""
        if self._count(session, LoginFailure.address_key == keys.address) >= self.attempts:
            return True
        if self._count(session, LoginFailure.user_key == keys.user) >= self.account_attempts:
            return self._count(session, LoginFailure.user_key == keys.user,
                               LoginFailure.address_key == keys.address) > 0
        return False

    def failed(self, session: Session, keys: LoginKeys) -> Optional[str]:
        """Counts one failed sign-in (forgetting failures that left the window); returns ADDRESS or ACCOUNT when
        this failure starts a lock-out, else None."""
        now = self.clock()
        session.execute(delete(LoginFailure).where(LoginFailure.at <= now - self.window)
                        .execution_options(synchronize_session=False))
        session.add(LoginFailure(address_key=keys.address, user_key=keys.user, at=now))
        session.flush()
        if self._count(session, LoginFailure.address_key == keys.address) == self.attempts:
            return ADDRESS
        if self._count(session, LoginFailure.user_key == keys.user) == self.account_attempts:
            return ACCOUNT
        return None

    def succeeded(self, session: Session, keys: LoginKeys) -> None:
        """Forgets this address's failures for the account; the address keeps its other failures (one address
        guessing many names) and the account those from other addresses (many addresses guessing one name)."""
        session.execute(delete(LoginFailure).where(LoginFailure.user_key == keys.user,
                                                   LoginFailure.address_key == keys.address)
                        .execution_options(synchronize_session=False))
