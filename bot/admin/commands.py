"""The workspace's `hamroh` subcommands: accounts, server, stale content, import/export, .po files, suggestions."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any, Optional

from bot import LANGUAGES
from bot.admin import ROLES
from bot.admin import reasons as R
from bot.i18n import SOURCE_LANGUAGE, translate


def cli_language() -> str:
    """The language of the command line: the locale's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) when it is one of
    ours, else Russian, the language every NGO maintainer reads (a server's locale is often C or English)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value:
            code = value.split(":")[0].split(".")[0].split("_")[0].lower()
            return code if code in LANGUAGES else SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def say(message: Any, **values: Any) -> str:
    """Returns a message (a gettext text or a Reason) in the command line's language."""
    from bot.admin.errors import Reason

    return message.text(cli_language()) if isinstance(message, Reason) else translate(message, cli_language(), **values)


def _error(reason: Any) -> None:
    print(say(R.CLI_ERROR, reason=say(reason)), file=sys.stderr)


def _user(session, name: str):
    from sqlalchemy import select

    from bot.admin.errors import WorkflowError
    from bot.content.models import AdminUser

    from bot.admin import CONTENT_ROLES
    from bot.admin import desk_texts as D

    user = session.execute(select(AdminUser).where(AdminUser.username == name)).scalar_one_or_none()
    if user is None or not user.active:
        raise WorkflowError(R.NO_SUCH_USER, name=name)
    if user.role not in CONTENT_ROLES:
        raise WorkflowError(D.CONSULTANTS_DO_NOT_EDIT)
    return user


def _read_password(from_stdin: bool) -> str:
    from bot.admin.errors import WorkflowError

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(say(R.PASSWORD_PROMPT))
    if first != getpass.getpass(say(R.REPEAT_PROMPT)):
        raise WorkflowError(R.PASSWORDS_DIFFER)
    return first


def _organisation_id(session, key: Optional[str]) -> Optional[int]:
    """The id of the organisation with a key (None for none)."""
    from sqlalchemy import select

    from bot.admin import desk_texts as D
    from bot.admin.errors import WorkflowError
    from bot.content.models import Organisation

    if not key:
        return None
    found = session.execute(select(Organisation.id).where(Organisation.key == key)).scalar_one_or_none()
    if found is None:
        raise WorkflowError(D.UNKNOWN_ORGANISATION, key=key)
    return found


def create_user_command(args: argparse.Namespace) -> int:
    """`hamroh admin create-user NAME --role ROLE [--organisation KEY --languages tg,ru]`: the first admin is made
    this way, and consultants with their organisation and languages."""
    from bot.admin.accounts import create_user
    from bot.admin.errors import WorkflowError
    from bot.content.db import session_scope

    languages = [code.strip() for code in (args.languages or "").split(",") if code.strip()]
    try:
        password = _read_password(args.password_stdin)
        with session_scope(args.url) as session:
            create_user(session, args.username, password, args.role, actor="cli",
                        organisation_id=_organisation_id(session, args.organisation), languages=languages,
                        telegram_user_id=args.telegram_user_id)
    except WorkflowError as error:
        _error(error.reason)
        return 2
    print(say(R.USER_CREATED, name=args.username, role=args.role))
    return 0


def serve_command(args: argparse.Namespace) -> int:
    """`hamroh admin`: serves the workspace on localhost."""
    from bot.admin.web import create_app

    from waitress import serve

    app = create_app(database_url=args.url)
    print(say(R.SERVING, host=args.host, port=args.port))
    # A production WSGI server, not Flask's development one (README, "Security").
    serve(app, host=args.host, port=args.port, threads=8, ident="hamroh")
    return 0


def stale_command(args: argparse.Namespace) -> int:
    """`hamroh content stale`: answers and organisations due for review."""
    from bot.admin.freshness import stale_answers, stale_organisations
    from bot.content.db import session_scope

    with session_scope(args.url) as session:
        items = stale_answers(session) + stale_organisations(session)
    for item in items:
        when = f"{item.last.isoformat()} ({item.days} days ago)" if item.last else "never"
        print(f"{item.kind}\t{item.key}\t{when}")
    print(say(R.STALE_COUNT, n=len(items)), file=sys.stderr)
    return 1 if items and args.check else 0


def export_command(args: argparse.Namespace) -> int:
    """`hamroh content export FILE`: .yml (answers and organisations) or .csv (one kind)."""
    from bot.admin.errors import WorkflowError
    from bot.admin.exchange import export_content
    from bot.content.db import session_scope

    try:
        with session_scope(args.url) as session:
            count = export_content(session, Path(args.file), args.organisations)
    except WorkflowError as error:
        _error(error.reason)
        return 2
    print(say(R.ROWS_WRITTEN, count=count, file=args.file))
    return 0


def _run_import(args: argparse.Namespace, plan_changes, summary, apply_plan, not_applied: str) -> int:
    """Plans an import, prints each change and a summary, and with --apply adds the drafts; never half of them."""
    from bot.admin.errors import WorkflowError
    from bot.admin.exchange import ImportRejected
    from bot.content.db import session_scope

    try:
        with session_scope(args.url) as session:
            plan = plan_changes(session)
            for change in plan.changes:
                print(say(change))
            print(summary(plan))
            if args.apply and plan.changes:
                print(apply_plan(session, plan, _user(session, args.author)))
            elif plan.changes:
                print(say(not_applied))
    except ImportRejected as error:
        for reason in error.errors:
            _error(reason)
        print(say(R.NOTHING_IMPORTED), file=sys.stderr)
        return 2
    except WorkflowError as error:
        _error(error.reason)
        return 2
    return 0


def import_command(args: argparse.Namespace) -> int:
    """`hamroh content import FILE --author NAME [--apply]`: validate, show the changes, then add drafts."""
    from bot.admin.exchange import apply_import, plan_import

    return _run_import(
        args, lambda session: plan_import(session, Path(args.file)),
        lambda plan: say(R.TO_CHANGE, changed=len(plan.changes), unchanged=plan.unchanged),
        lambda session, plan, user: say(R.DRAFTS_ADDED, count=apply_import(session, plan, user), author=args.author),
        R.NOT_APPLIED)


def po_export_command(args: argparse.Namespace) -> int:
    """`hamroh content po-export LANG`: a catalog of the answers for translators."""
    from bot.admin.errors import WorkflowError
    from bot.admin.po import export_po
    from bot.content.db import session_scope

    out = Path(args.out or f"answers-{args.language}.po")
    try:
        with session_scope(args.url) as session:
            out.write_bytes(export_po(session, args.language))
    except WorkflowError as error:
        _error(error.reason)
        return 2
    print(say(R.FILE_WRITTEN, file=out))
    return 0


def po_import_command(args: argparse.Namespace) -> int:
    """`hamroh content po-import LANG FILE --author NAME [--apply]`: translations become drafts."""
    from bot.admin.po import apply_po_import, plan_po_import

    def apply_plan(session, plan, user) -> str:
        apply_po_import(session, args.language, plan, user)
        return say(R.PO_APPLIED, author=args.author)

    return _run_import(
        args, lambda session: plan_po_import(session, args.language, Path(args.file)),
        lambda plan: say(R.PO_TO_CHANGE, changed=len(plan.changes), fuzzy=plan.fuzzy),
        apply_plan, R.PO_NOT_APPLIED)


def suggestions_command(args: argparse.Namespace) -> int:
    """`hamroh nlu suggestions`: filed inbox questions as Rasa NLU YAML."""
    from bot.admin.inbox import write_suggestions
    from bot.content.db import session_scope

    with session_scope(args.url) as session:
        count = write_suggestions(session, Path(args.out))
    print(say(R.EXAMPLES_WRITTEN, count=count, file=args.out))
    return 0


def add_commands(commands: argparse._SubParsersAction, content: argparse._SubParsersAction) -> None:
    """Registers `hamroh admin …`, `hamroh nlu …` and the workspace's `hamroh content …` commands."""
    def url(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
        return parser

    admin = url(commands.add_parser("admin", help="serve the NGO workspace on localhost; manage its accounts"))
    admin.add_argument("--host", default="127.0.0.1")
    admin.add_argument("--port", type=int, default=8000)
    admin.set_defaults(func=serve_command)
    admin_commands = admin.add_subparsers(dest="admin_command")
    create = url(admin_commands.add_parser("create-user", help="create a workspace account (asks the password)"))
    create.add_argument("username")
    create.add_argument("--role", choices=ROLES, default="editor")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument("--organisation", help="a consultant's organisation, by key")
    create.add_argument("--languages", help="the languages a consultant answers in, e.g. tg,ru")
    create.add_argument("--telegram-user-id", help="a consultant's Telegram user id (for the operators' group)")
    create.set_defaults(func=create_user_command)

    stale = url(content.add_parser("stale", help="answers not reviewed for 180 days, organisations not vetted for 365"))
    stale.add_argument("--check", action="store_true", help="exit with 1 when anything is stale")
    stale.set_defaults(func=stale_command)
    export = url(content.add_parser("export", help="write answers and organisations to YAML or CSV"))
    export.add_argument("file", help=".yml (everything) or .csv (answers, or organisations with --organisations)")
    export.add_argument("--organisations", action="store_true")
    export.set_defaults(func=export_command)
    load = url(content.add_parser("import", help="validate a YAML/CSV file, show the changes, --apply adds drafts"))
    load.add_argument("file")
    load.add_argument("--author", help="workspace user the drafts are by (needed with --apply)")
    load.add_argument("--apply", action="store_true")
    load.set_defaults(func=import_command)
    po_export = url(content.add_parser("po-export", help="answers as a gettext .po file for translators"))
    po_export.add_argument("language", choices=("uz", "tg", "ky"))
    po_export.add_argument("--out", help="default: answers-LANG.po")
    po_export.set_defaults(func=po_export_command)
    po_import = url(content.add_parser("po-import", help="translated .po file → drafts (fuzzy entries skipped)"))
    po_import.add_argument("language", choices=("uz", "tg", "ky"))
    po_import.add_argument("file")
    po_import.add_argument("--author")
    po_import.add_argument("--apply", action="store_true")
    po_import.set_defaults(func=po_import_command)

    nlu = commands.add_parser("nlu", help="training-data tasks").add_subparsers(dest="nlu_command", required=True)
    suggestions = url(nlu.add_parser("suggestions", help="write inbox questions filed under topics as NLU YAML"))
    suggestions.add_argument("--out", default="var/nlu-suggestions.yml")
    suggestions.set_defaults(func=suggestions_command)


def require_author(args: argparse.Namespace) -> Optional[str]:
    """Returns an error message when --apply is given without --author."""
    if getattr(args, "apply", False) and not getattr(args, "author", None):
        return say(R.APPLY_NEEDS_AUTHOR)
    return None
