"""The sign-in limit lives in the database: shared by every workspace process, kept over restarts, sliding."""

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.admin.limiter import LoginLimiter, login_keys
from bot.content.db import session_scope
from bot.content.models import LoginFailure
from tests.admin.conftest import PASSWORD
from tests.admin.web import SECRET, client_for, login, make_app


def from_address(app, address):
    client = client_for(app)
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_the_limit_holds_across_two_workspace_processes_and_a_restart(users):
    first, second = make_app(users, LoginLimiter(attempts=3)), make_app(users, LoginLimiter(attempts=3))
    assert login(from_address(first, "10.0.0.7"), "edna", "wrong password one").status_code == 401
    assert login(from_address(second, "10.0.0.7"), "edna", "wrong password two").status_code == 401
    assert login(from_address(first, "10.0.0.7"), "edna", "wrong password three").status_code == 401
    assert login(from_address(second, "10.0.0.7"), "edna").status_code == 429  # even the right password waits
    restarted = make_app(users, LoginLimiter(attempts=3))
    assert login(from_address(restarted, "10.0.0.8"), "edna").status_code == 429  # the username is blocked
    assert login(from_address(restarted, "10.0.0.7"), "rita").status_code == 429  # and so is the address
    assert login(from_address(restarted, "10.0.0.8"), "rita").status_code == 302


def test_nothing_stored_names_the_person_the_address_or_the_password(users):
    app = make_app(users, LoginLimiter(attempts=3))
    login(from_address(app, "203.0.113.9"), "Edna", "my secret guess")
    with session_scope(users) as session:
        [row] = session.execute(select(LoginFailure)).scalars().all()
        stored = f"{row.address_key} {row.user_key}"
    for clear in ("edna", "Edna", "203.0.113.9", "my secret guess"):
        assert clear not in stored
    keys = login_keys(SECRET, "203.0.113.9", " EDNA ")
    assert (row.address_key, row.user_key) == (keys.address, keys.user)  # one user in any letter case
    assert login_keys("another secret " * 3, "203.0.113.9", "edna") != keys  # keyed: the hash needs the secret


def test_an_old_failure_leaves_the_sliding_window(users):
    now = [datetime(2026, 11, 24, 12, 0, 0)]
    limiter = LoginLimiter(attempts=3, window_seconds=60, clock=lambda: now[0])
    keys = login_keys(SECRET, "10.0.0.9", "edna")
    with session_scope(users) as session:
        limiter.failed(session, keys)
        limiter.failed(session, keys)
    now[0] += timedelta(seconds=40)
    with session_scope(users) as session:
        limiter.failed(session, keys)
        assert limiter.blocked(session, keys)  # three within a minute
    now[0] += timedelta(seconds=21)  # the first two are 61 seconds old now
    with session_scope(users) as session:
        assert not limiter.blocked(session, keys)
        limiter.failed(session, keys)  # and they are deleted as it counts this one
        assert session.scalar(select(LoginFailure.id).where(LoginFailure.at < now[0] - timedelta(seconds=60))) \
            is None
        assert len(session.execute(select(LoginFailure)).all()) == 2
        assert not limiter.blocked(session, keys)
        limiter.failed(session, keys)
        assert limiter.blocked(session, keys)


def test_a_successful_sign_in_clears_the_username_but_not_the_address(users):
    app = make_app(users, LoginLimiter(attempts=3))
    client = from_address(app, "10.0.0.5")
    for _ in range(2):
        assert login(client, "edna", "wrong password!!").status_code == 401
    assert login(from_address(app, "10.0.0.6"), "edna").status_code == 302
    with session_scope(users) as session:
        assert session.execute(select(LoginFailure)).first() is None  # both were edna's
    for name in ("rita", "rob", "nobody"):
        login(from_address(app, "10.0.0.5"), name, "wrong password!!")
    assert login(from_address(app, "10.0.0.5"), "ada", PASSWORD).status_code == 429
    assert login(from_address(app, "10.0.0.6"), "ada", PASSWORD).status_code == 302
