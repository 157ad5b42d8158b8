"""The workspace web app (Flask + Flask-Admin): sign-in, security, languages; views live in views.py."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from typing import Optional
from urllib.parse import urlparse

from flask import Flask, abort, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from markupsafe import escape
from sqlalchemy.orm import scoped_session, sessionmaker
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import LANGUAGES
from bot.admin import desk_texts, i18n
from bot.admin import texts as T
from bot.admin import names
from bot.admin.accounts import authenticate, end_sessions, find_user
from bot.admin.audit import record as audit
from bot.admin.field_values import field_value
from bot.admin.i18n import language, tr
from bot.admin.limiter import LoginLimiter, login_keys
from bot.content.db import get_engine
from bot.content.models import AdminUser
from bot.resources import shipped
from bot.settings import get_settings

TOGGLE_LABEL = 'aria-label="Toggle navigation"'
"""Flask-Admin 2.1's navbar toggle label (bootstrap4/admin/base.html), replaced by the page language's."""

TEMPLATES = shipped("bot.admin", "templates")
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev", "please-change"}


def _secret_key(configured: Optional[str]) -> str:
    """Returns the cookie-signing key: configured, or generated once and kept in var/ (never a default)."""
    if configured is not None:
        if configured.strip().lower() in PLACEHOLDER_SECRETS or len(configured) < 32:
            raise RuntimeError("HAMROH_ADMIN_SECRET is a placeholder or shorter than 32 characters")
        return configured
    path = get_settings().state_dir / "admin-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _safe_next(target: Optional[str]) -> str:
    # Only local paths: an open redirect after sign-in would help phishing.
    if target and target.startswith("/") and not target.startswith("//") and not urlparse(target).netloc:
        return target
    return "/"


NOBODY = "—"
"""The audit log's actor of a failed sign-in, and its target when no such account exists (a mistyped name may be
someone's password: it is never stored)."""


def _session_user(app: Flask, user_id: str) -> Optional[AdminUser]:
    """The account of a session: "id:version", valid only while the account is active and its version unchanged."""
    ident, _, version = str(user_id).partition(":")
    if not ident.isdigit() or not version.isdigit():
        return None  # a cookie from before session versions, or forged: sign in again
    user = app.db.get(AdminUser, int(ident))
    if user is None or not user.active or (user.session_version or 0) != int(version):
        return None
    return user


def create_app(database_url: Optional[str] = None, secret_key: Optional[str] = None,
               secure_cookies: Optional[bool] = None, limiter: Optional[LoginLimiter] = None,
               proxy_hops: Optional[int] = None) -> Flask:
    """Builds the workspace app for a database (the configured one by default).

    Behind `proxy_hops` reverse proxies (HAMROH_ADMIN_PROXY_HOPS), the client address is the one they put in
    X-Forwarded-For; without them that header is ignored, so nobody can forge an address to dodge the limit.
    """
    settings = get_settings()
    app = Flask(__name__, template_folder=str(TEMPLATES))
    hops = settings.admin_proxy_hops if proxy_hops is None else proxy_hops
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    app.config.update(
        SECRET_KEY=_secret_key(secret_key if secret_key is not None else settings.admin_secret),
        SESSION_COOKIE_NAME="hamroh_admin",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=settings.admin_secure_cookies if secure_cookies is None else secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    CSRFProtect(app)
    i18n.install(app)
    app.db = scoped_session(sessionmaker(get_engine(database_url or settings.database_url), future=True,
                                         expire_on_commit=False))
    app.login_limiter = limiter or LoginLimiter()

    @app.teardown_appcontext
    def _close_session(_error=None) -> None:
        app.db.remove()

    login = LoginManager(app)
    login.login_view = "login"
    login.session_protection = "strong"

    @login.user_loader
    def _load_user(user_id: str) -> Optional[AdminUser]:
        return _session_user(app, user_id)

    @app.context_processor
    def _globals():
        return {"_": tr, "T": T, "D": desk_texts, "page_language": language(), "languages": LANGUAGES, "current_user": current_user,
                "field_value": field_value, "names": names}

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    # Flask-Admin's page template hard-codes the navbar toggle's English label inside its whole-page block;
    # rather than keep a copy of that template, the one attribute is said in the page language here.
    @app.after_request
    def _toggle_label(response):
        if response.mimetype == "text/html" and not response.direct_passthrough:
            html = response.get_data(as_text=True)
            if TOGGLE_LABEL in html:
                response.set_data(html.replace(TOGGLE_LABEL, f'aria-label="{escape(tr(T.TOGGLE_NAVIGATION))}"'))
        return response

    # Werkzeug's own error pages are English: say it in the page language instead.
    @app.errorhandler(CSRFError)
    def _form_expired(_error):
        return render_template("hamroh/error.html", message=tr(T.FORM_EXPIRED)), 400

    @app.errorhandler(400)
    def _bad_request(_error):
        return render_template("hamroh/error.html", message=tr(T.BAD_REQUEST)), 400

    @app.errorhandler(413)
    def _too_large(_error):
        return render_template("hamroh/error.html", message=tr(T.TOO_LARGE)), 413

    @app.errorhandler(403)
    def _forbidden(_error):
        return render_template("hamroh/error.html", message=tr(T.FORBIDDEN)), 403

    @app.errorhandler(404)
    def _not_found(_error):
        return render_template("hamroh/error.html", message=tr(T.NOT_FOUND)), 404

    @app.errorhandler(500)
    def _failed(_error):
        # Logged by Flask with its traceback; the person reads a sentence in the page language, never the trace.
        app.db.rollback()
        return render_template("hamroh/error.html", message=tr(T.SERVER_ERROR)), 500

    @app.route("/login", methods=["GET", "POST"])
    def login_page():
        error, status = None, 200
        if request.method == "POST":
            username = request.form.get("username", "")[:80]
            keys = login_keys(app.secret_key, request.remote_addr or "?", username)
            if app.login_limiter.blocked(app.db, keys):
                error, status = tr(T.LOGIN_BLOCKED), 429
            else:
                user = authenticate(app.db, username, request.form.get("password", "")[:1024])
                if user is None:
                    account = find_user(app.db, username)
                    target = account.username if account is not None else NOBODY
                    audit(app.db, NOBODY, "sign_in_failed", target)
                    locked = app.login_limiter.failed(app.db, keys)
                    if locked:
                        audit(app.db, NOBODY, "lock_out", target, locked)
                    app.db.commit()
                    error, status = tr(T.LOGIN_FAILED), 401
                else:
                    app.login_limiter.succeeded(app.db, keys)
                    audit(app.db, user.username, "sign_in", user.username)
                    app.db.commit()
                    chosen = session.get("lang")
                    session.clear()  # a fresh session at sign-in: no fixation
                    if chosen:
                        session["lang"] = chosen
                    login_user(user)
                    session.permanent = True
                    return redirect(_safe_next(request.args.get("next")))
        return render_template("hamroh/login.html", error=error), status

    @app.route("/logout", methods=["POST"])
    def logout():
        if current_user.is_authenticated:
            # Every session of the account ends, not only this browser's: a copied cookie stops working too.
            user = app.db.get(AdminUser, current_user.id)
            end_sessions(user)
            audit(app.db, user.username, "sign_out", user.username)
            app.db.commit()
        logout_user()
        session.clear()
        return redirect(url_for("login_page"))

    @app.route("/lang/<code>")
    def set_language(code: str):
        if code not in LANGUAGES:
            abort(404)
        session["lang"] = code
        return redirect(_safe_next(request.args.get("next")))

    from bot.admin.views import register_views

    register_views(app)
    return app
