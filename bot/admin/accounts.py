"""Workspace accounts: argon2 password hashes and sign-in (the limit on failures is in limiter.py)."""

from __future__ import annotations

from typing import Optional

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
