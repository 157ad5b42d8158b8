"""Workspace accounts: argon2 password hashes, sign-in, and a limit on failed sign-ins."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Deque, Dict, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.admin import ROLES
from bot.admin import reasons as R
from bot.admin.audit import record
from bot.admin.errors import WorkflowError
from bot.content.models import AdminUser, utcnow

MIN_PASSWORD = 12
"""Characters; a passphrase of a few words is easier to remember than a short complex one."""

_hasher = PasswordHasher()
# Verifying against this when the user does not exist takes as long as a real check,
# so response times do not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash("no such user: timing equaliser")


def hash_password(password: str) -> str:
    """Returns the argon2id hash of a password."""
    return _hasher.hash(password)


def check_password_strength(password: str, username: str) -> None:
    """Refuses short passwords and passwords equal to the username."""
    if len(password) < MIN_PASSWORD:
        raise WorkflowError(R.PASSWORD_SHORT, n=MIN_PASSWORD)
    if password.strip().lower() == username.strip().lower():
        raise WorkflowError(R.PASSWORD_IS_USERNAME)


def create_user(session: Session, username: str, password: str, role: str, actor: str = "cli") -> AdminUser:
    """Creates an account; there is no default account and no default password."""
    username = username.strip()
    if role not in ROLES:
        raise WorkflowError(R.UNKNOWN_ROLE, role=role, roles=", ".join(ROLES))
    if not username or len(username) > 80:
        raise WorkflowError(R.USERNAME_LENGTH)
    check_password_strength(password, username)
    check_username_free(session, username)
    user = AdminUser(username=username, password_hash=hash_password(password), role=role, active=True)
    session.add(user)
    record(session, actor, "create_user", username, role)
    session.flush()
    return user


def check_username_free(session: Session, username: str, user_id: Optional[int] = None) -> None:
    """Refuses a username another account already has (in any letter case)."""
    with session.no_autoflush:  # an account being created is already in the session
        taken = session.execute(select(AdminUser.id).where(
            func.lower(AdminUser.username) == username.strip().lower(), AdminUser.id != user_id)).first()
    if taken:
        raise WorkflowError(R.USER_EXISTS, name=username.strip())


def set_password(session: Session, user: AdminUser, password: str, actor: str) -> None:
    """Replaces a user's password."""
    check_password_strength(password, user.username)
    user.password_hash = hash_password(password)
    record(session, actor, "set_password", user.username)


def authenticate(session: Session, username: str, password: str) -> Optional[AdminUser]:
    """Returns the active user with this password, or None."""
    user = session.execute(
        select(AdminUser).where(func.lower(AdminUser.username) == (username or "").strip().lower())
    ).scalar_one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


class LoginLimiter:
    """Allows a few failed sign-ins per address and per username in a sliding window."""

    def __init__(self, attempts: int = 5, window_seconds: float = 900.0) -> None:
        self.attempts = attempts
        self.window = window_seconds
        self._failures: Dict[str, Deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> Deque[float]:
        failures = self._failures[key]
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, address: str, username: str) -> bool:
        """True while either the address or the username has too many recent failures."""
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.attempts
                       for k in (f"ip:{address}", f"user:{username.strip().lower()}"))

    def failed(self, address: str, username: str) -> None:
        """Counts one failed sign-in."""
        now = time.monotonic()
        with self._lock:
            for key in (f"ip:{address}", f"user:{username.strip().lower()}"):
                self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        """Forgets the username's failures (the address keeps its count)."""
        with self._lock:
            self._failures.pop(f"user:{username.strip().lower()}", None)
