"""Sessions that really end: sign-out, a new password, a new role and deactivation end every session of the account,
saved cookies included; each is a distinct entry of the audit log."""

import pytest
from sqlalchemy import select

from bot.content.db import session_scope
from bot.content.models import AdminUser, AuditEvent
from tests.admin.conftest import PASSWORD
from tests.admin.web import client_for, login, make_app, post


@pytest.fixture
def app(users):
    return make_app(users)


def signed_in(app, name, password=PASSWORD):
    client = client_for(app)
    assert login(client, name, password).status_code == 302
    assert client.get("/").status_code == 200
    return client


def cookie(client):
    return client.get_cookie("hamroh_admin", domain="localhost").value


def with_cookie(app, value):
    """A browser that kept a copy of the session cookie."""
    client = client_for(app)
    client.set_cookie("hamroh_admin", value, domain="localhost", secure=True, httponly=True)
    return client


def signed_out(client):
    response = client.get("/")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def user_id(url, name):
    with session_scope(url) as session:
        return session.execute(select(AdminUser).where(AdminUser.username == name)).scalar_one().id


def actions(url, target):
    with session_scope(url) as session:
        return [e.action for e in session.execute(select(AuditEvent).where(AuditEvent.target == target)
                                                  .order_by(AuditEvent.id)).scalars()]


def test_sign_out_ends_every_session_and_a_saved_cookie_stops_working(app, users):
    laptop, phone = signed_in(app, "edna"), signed_in(app, "edna")
    saved = cookie(laptop)
    assert not signed_out(with_cookie(app, saved))  # the copy works while the session lives
    post(laptop, "/logout", {}, "/")
    assert signed_out(laptop) and signed_out(phone) and signed_out(with_cookie(app, saved))
    assert signed_in(app, "edna")  # signing in again works
    assert actions(users, "edna")[-3:] == ["sign_in", "sign_out", "sign_in"]


def test_a_new_own_password_ends_the_other_sessions_and_keeps_this_one(app, users):
    here, elsewhere = signed_in(app, "edna"), signed_in(app, "edna")
    response = post(here, "/account/", {"current": "not my password", "new": "a brand new passphrase",
                                        "repeated": "a brand new passphrase"}, "/account/")
    assert response.status_code == 400 and "Текущий пароль неверен." in response.get_data(as_text=True)
    response = post(here, "/account/", {"current": PASSWORD, "new": "a brand new passphrase",
                                        "repeated": "another passphrase!"}, "/account/")
    assert response.status_code == 400 and "Пароли не совпадают." in response.get_data(as_text=True)
    assert post(here, "/account/", {"current": PASSWORD, "new": "a brand new passphrase",
                                    "repeated": "a brand new passphrase"}, "/account/").status_code == 302
    assert not signed_out(here) and signed_out(elsewhere)
    assert login(client_for(app), "edna").status_code == 401
    assert signed_in(app, "edna", "a brand new passphrase")
    assert "change_password" in actions(users, "edna")


@pytest.mark.parametrize("change,action", [
    ({"role": "reviewer", "active": "y"}, "change_role"),
    ({"role": "editor"}, "deactivate_user"),  # an unticked box: not active
    ({"role": "editor", "active": "y", "new_password": "an admin's new passphrase"}, "reset_password"),
])
def test_an_admins_change_to_an_account_ends_its_sessions(app, users, change, action):
    editor = signed_in(app, "edna")
    saved = cookie(editor)
    admin = signed_in(app, "ada")
    page = f"/users/edit/?id={user_id(users, 'edna')}"
    assert post(admin, page, {"username": "edna", **change}, page).status_code == 302
    assert signed_out(editor) and signed_out(with_cookie(app, saved))
    assert actions(users, "edna")[-1] == action
    assert not signed_out(admin)  # the admin's own session is untouched


def test_reactivation_is_its_own_audit_entry(app, users):
    admin = signed_in(app, "ada")
    page = f"/users/edit/?id={user_id(users, 'edna')}"
    post(admin, page, {"username": "edna", "role": "editor"}, page)
    assert login(client_for(app), "edna").status_code == 401  # deactivated accounts cannot sign in
    post(admin, page, {"username": "edna", "role": "editor", "active": "y"}, page)
    assert [a for a in actions(users, "edna") if a.endswith("_user")][-2:] == ["deactivate_user", "reactivate_user"]
    assert signed_in(app, "edna")


def test_a_cookie_from_before_session_versions_or_with_another_version_is_refused(app, users):
    from flask.sessions import SecureCookieSessionInterface

    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    real = serializer.loads(cookie(signed_in(app, "edna")))  # signed with the app's key, as a thief's copy is
    ident = user_id(users, "edna")
    assert real["_user_id"] == f"{ident}:0"
    assert not signed_out(with_cookie(app, serializer.dumps(real)))
    for user in (str(ident), f"{ident}:1", f"{ident}:x"):
        assert signed_out(with_cookie(app, serializer.dumps({**real, "_user_id": user}))), user
