"""Workspace accounts: argon2 password hashes and sign-in (the limit on failures is in limiter.py)."""

from __future__ import annotations

from typing import List, Optional, Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import LANGUAGES
from bot.admin import ROLES
from bot.admin import desk_texts as D
from bot.admin import reasons as R
from bot.admin.audit import record
from bot.admin.errors import WorkflowError
from bot.content.models import AdminUser, Organisation, Role, utcnow

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


def create_user(session: Session, username: str, password: str, role: str, actor: str = "cli",
                organisation_id: Optional[int] = None, languages: Sequence[str] = (),
                telegram_user_id: Optional[str] = None) -> AdminUser:
    """Creates an account (a consultant's with its organisation and languages); there is no default account and no
    default password."""
    username = username.strip()
    if role not in ROLES:
        raise WorkflowError(R.UNKNOWN_ROLE, role=role, roles=", ".join(ROLES))
    if not username or len(username) > 80:
        raise WorkflowError(R.USERNAME_LENGTH)
    check_password_strength(password, username)
    check_username_free(session, username)
    languages = list(languages)
    check_desk_fields(session, role, organisation_id, languages, telegram_user_id)
    user = AdminUser(username=username, password_hash=hash_password(password), role=role, active=True,
                     organisation_id=organisation_id, languages=languages, telegram_user_id=telegram_user_id or None)
    session.add(user)
    record(session, actor, "create_user", username, role)
    session.flush()
    return user


def check_desk_fields(session: Session, role: str, organisation_id: Optional[int], languages: Sequence[str],
                      telegram_user_id: Optional[str]) -> None:
    """A consultant answers for one existing organisation in at least one of the bot's languages; a Telegram user id
    is digits."""
    unknown = [code for code in languages if code not in LANGUAGES]
    if unknown:
        raise WorkflowError(D.UNKNOWN_LANGUAGES, field_name="languages", codes=", ".join(unknown),
                            languages=", ".join(LANGUAGES))
    if role == Role.CONSULTANT.value and (organisation_id is None or not languages):
        raise WorkflowError(D.CONSULTANT_NEEDS, field_name="organisation_id" if organisation_id is None else
                            "languages")
    with session.no_autoflush:  # an account being created is already in the session, its password not yet set
        known = organisation_id is None or session.get(Organisation, organisation_id) is not None
    if not known:
        raise WorkflowError(D.UNKNOWN_ORGANISATION, field_name="organisation_id", key=str(organisation_id))
    if telegram_user_id and not str(telegram_user_id).isdigit():
        raise WorkflowError(D.TELEGRAM_ID_DIGITS, field_name="telegram_user_id")


def check_username_free(session: Session, username: str, user_id: Optional[int] = None) -> None:
    """Refuses a username another account already has (in any letter case)."""
    with session.no_autoflush:  # an account being created is already in the session
        taken = session.execute(select(AdminUser.id).where(
            func.lower(AdminUser.username) == username.strip().lower(), AdminUser.id != user_id)).first()
    if taken:
        raise WorkflowError(R.USER_EXISTS, name=username.strip())


def end_sessions(user: AdminUser) -> None:
    """Ends every session of an account at once: each carries the account's session version, now outdated."""
    user.session_version = (user.session_version or 0) + 1


def set_password(session: Session, user: AdminUser, password: str, actor: str) -> None:
    """Replaces a user's password (their own change, or an admin's reset) and ends every session they have."""
    check_password_strength(password, user.username)
    user.password_hash = hash_password(password)
    end_sessions(user)
    record(session, actor, "change_password" if actor == user.username else "reset_password", user.username)


def change_own_password(session: Session, user: AdminUser, current: str, new: str, repeated: str) -> None:
    """A signed-in person's new password: the current one must be right and the new one typed twice."""
    if not password_matches(user.password_hash, current):
        raise WorkflowError(R.CURRENT_PASSWORD_WRONG, field_name="current")
    if new != repeated:
        raise WorkflowError(R.PASSWORDS_DIFFER, field_name="repeated")
    try:
        set_password(session, user, new, user.username)
    except WorkflowError as error:
        error.field_name = "new"
        raise


def account_changes(user: AdminUser, role_before: Optional[str], active_before: Optional[bool]) -> List[str]:
    """The audit actions of an admin's edit of an account: a new role, deactivation, reactivation."""
    actions = []
    if role_before is not None and role_before != user.role:
        actions.append("change_role")
    if active_before is not None and bool(active_before) != bool(user.active):
        actions.append("reactivate_user" if user.active else "deactivate_user")
    return actions


def password_matches(password_hash: Optional[str], password: str) -> bool:
    """Whether a password matches a hash (a missing hash takes as long to refuse)."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password or "") and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def find_user(session: Session, username: str) -> Optional[AdminUser]:
    """Returns the account of a username in any letter case, or None."""
    return session.execute(
        select(AdminUser).where(func.lower(AdminUser.username) == (username or "").strip().lower())
    ).scalar_one_or_none()


def authenticate(session: Session, username: str, password: str) -> Optional[AdminUser]:
    """Returns the active user with this password, or None."""
    user = find_user(session, username)
    if not password_matches(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user
