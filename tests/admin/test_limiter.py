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
    assert login(from_address(restarted, "10.0.0.7"), "rita").status_code == 429  # the address, for every account
    # Another address is not locked out: whoever guessed from 10.0.0.7 cannot lock edna out of her account.
    assert login(from_address(restarted, "10.0.0.8"), "edna").status_code == 302
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


def test_a_successful_sign_in_clears_only_that_address_for_that_account(users):
    app = make_app(users, LoginLimiter(attempts=3))
    for _ in range(2):
        assert login(from_address(app, "10.0.0.5"), "edna", "wrong password!!").status_code == 401
    assert login(from_address(app, "10.0.0.6"), "edna", "wrong password!!").status_code == 401
    assert login(from_address(app, "10.0.0.6"), "edna").status_code == 302
    with session_scope(users) as session:
        assert len(session.execute(select(LoginFailure)).all()) == 2  # those from 10.0.0.5 still count
    login(from_address(app, "10.0.0.5"), "nobody", "wrong password!!")
    assert login(from_address(app, "10.0.0.5"), "ada", PASSWORD).status_code == 429
    assert login(from_address(app, "10.0.0.6"), "ada", PASSWORD).status_code == 302


def test_many_addresses_guessing_one_account_never_lock_its_owner_out(users):
    app = make_app(users, LoginLimiter(attempts=3, account_attempts=4))
    guessers = [f"198.51.100.{n}" for n in range(1, 5)]
    for address in guessers:  # one guess each: no address reaches its own limit
        assert login(from_address(app, address), "edna", "a guess at the password").status_code == 401
    # The account's limit is reached: the addresses that guessed wrong are stopped, even with the right password…
    assert login(from_address(app, guessers[0]), "edna").status_code == 429
    # … the owner, from an address that never guessed wrong, signs in; other accounts from a guesser too.
    assert login(from_address(app, "192.0.2.10"), "edna").status_code == 302
    assert login(from_address(app, guessers[1]), "rita").status_code == 302


def proxied(app, address, forwarded):
    client = from_address(app, address)
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded
    return client


def test_behind_the_proxy_the_forwarded_address_counts_and_elsewhere_it_is_ignored(users):
    behind = make_app(users, LoginLimiter(attempts=2), proxy_hops=1)
    for _ in range(2):
        login(proxied(behind, "127.0.0.1", "203.0.113.50"), "edna", "wrong password!!")
    assert login(proxied(behind, "127.0.0.1", "203.0.113.50"), "rita").status_code == 429
    # Every client comes through the same proxy address: only the attacker's address is stopped.
    assert login(proxied(behind, "127.0.0.1", "203.0.113.51"), "edna").status_code == 302
    # A forged header in front of the proxy's own entry is not trusted: the proxy's last hop counts.
    assert login(proxied(behind, "127.0.0.1", "198.51.100.1, 203.0.113.50"), "rita").status_code == 429
    # Without a proxy the header is ignored: nobody dodges the limit by inventing addresses.
    direct = make_app(users, LoginLimiter(attempts=2))
    for forged in ("192.0.2.1", "192.0.2.2"):
        login(proxied(direct, "10.9.9.9", forged), "rob", "wrong password!!")
    assert login(proxied(direct, "10.9.9.9", "192.0.2.3"), "rob").status_code == 429


def test_sign_ins_failures_and_lock_outs_are_audited_without_secrets(users):
    from bot.content.models import AuditEvent

    app = make_app(users, LoginLimiter(attempts=2))
    login(from_address(app, "10.1.1.1"), "edna", "hunter2 guess")
    login(from_address(app, "10.1.1.1"), "not-a-user hunter3", "hunter3")
    login(from_address(app, "10.1.1.2"), "edna")
    with session_scope(users) as session:
        events = [(e.actor, e.action, e.target, e.detail) for e in session.execute(
            select(AuditEvent).where(AuditEvent.action.in_(("sign_in", "sign_in_failed", "lock_out")))
            .order_by(AuditEvent.id)).scalars()]
    assert events == [("—", "sign_in_failed", "edna", None), ("—", "sign_in_failed", "—", None),
                      ("—", "lock_out", "—", "address"), ("edna", "sign_in", "edna", None)]
