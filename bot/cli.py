"""The `hamroh` command: project tasks for developers and NGO maintainers."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def _chat(args: argparse.Namespace) -> int:
    from bot.chat import chat

    return chat(args.url, args.sender)


def _endpoints(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.endpoints import write_endpoints
    from bot.settings import get_settings

    settings = get_settings()
    out = Path(args.out) if args.out else settings.state_dir / "endpoints.yml"
    write_endpoints(out, args.actions_port, lock_store=settings.lock_url is not None, actions_url=args.actions_url)
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.content.migrate import upgrade
    from bot.settings import get_settings

    upgrade(args.url)
    print(f"Database is at the latest schema: {_safe_url(args.url or get_settings().database_url)}")
    return 0


def _db_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.serving.backup import BackupError, backup, restore

    try:
        files = (backup if args.db_command == "backup" else restore)(Path(args.path))
    except BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    done = "Backed up" if args.db_command == "backup" else "Restored"
    print(f"{done}: " + ", ".join(f"{name} ({file})" for name, file in files.items()) + f" in {args.path}")
    return 0


def _privacy_purge(args: argparse.Namespace) -> int:
    from bot.serving.conversations import purge
    from bot.settings import get_settings

    days = args.older_than if args.older_than is not None else get_settings().retention_days
    purged = purge(days)
    print(f"Deleted {purged.conversations} conversations idle for more than {days:g} days ({purged.events} events).")
    return 0


def _content_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.content.db import session_scope
    from bot.content.loader import ContentError, load_content
    from bot.settings import get_settings

    folder = Path(args.folder) if args.folder else get_settings().content_dir
    try:
        with session_scope(args.url) as session:
            report = load_content(session, folder)
    except ContentError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Answers: {report.answers_added} new, {report.answers_revised} revised, "
          f"{report.answers_unchanged} unchanged. Organisations: {report.organisations_added} new, "
          f"{report.organisations_revised} revised, {report.organisations_unchanged} unchanged.")
    return 0


def _content_coverage(args: argparse.Namespace) -> int:
    import json
    from pathlib import Path

    from bot.content.coverage import coverage, table
    from bot.content.db import session_scope

    with session_scope(args.url) as session:
        result = coverage(session)
    rows = table(result, reachable=args.reachable)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    print(f"Cells with an organisation: {result.share():.1%}; with a phone, site, e-mail or address: "
          f"{result.share(reachable=True):.1%} ({len(result.cells)} cells: topic × city × citizenship).")
    if args.json:
        Path(args.json).write_text(json.dumps(result.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _telegram_credentials(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.channels.config import TelegramConfigError
    from bot.channels.credentials import write_credentials
    from bot.settings import get_settings

    settings = get_settings()
    out = Path(args.out) if args.out else settings.state_dir / "credentials.yml"
    try:
        channels = write_credentials(settings, out)
    except TelegramConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Credentials for {channels} written to {out}")
    return 0


def _telegram_config():
    """The Telegram settings of a long-running Telegram command, logging on; None (and a message) when unusable."""
    import logging

    from bot.channels.config import TelegramConfigError, load_config

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        return load_config()
    except TelegramConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return None


def _telegram_poll(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.channels.polling import run_poller

    config = _telegram_config()
    if config is None:
        return 2
    return run_poller(config, args.rasa_url, Path(args.offset_file) if args.offset_file else None,
                      args.timeout, args.once)


def _telegram_send(args: argparse.Namespace) -> int:
    from bot.channels.sender import run_sender

    config = _telegram_config()
    return 2 if config is None else run_sender(config, args.poll_seconds)


def _safe_url(url: str) -> str:
    """Hides the password of a database URL."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    """Returns the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="hamroh", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="chat in the terminal with a running assistant")
    chat.add_argument("--url", default="http://localhost:5005", help="Rasa server address")
    chat.add_argument("--sender", default="terminal", help="conversation id")
    chat.set_defaults(func=_chat)

    db = commands.add_parser("db", help="database tasks").add_subparsers(dest="db_command", required=True)
    db_upgrade = db.add_parser("upgrade", help="create or upgrade the database (Alembic migrations)")
    db_upgrade.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    db_upgrade.set_defaults(func=_db_upgrade)
    for name, text in (("backup", "copy the content database and the conversations into a new folder"),
                       ("restore", "replace the content database and the conversations with a backup's")):
        step = db.add_parser(name, help=text)
        step.add_argument("path", help="the backup folder")
        step.set_defaults(func=_db_backup)

    privacy = commands.add_parser("privacy", help="stored conversations").add_subparsers(
        dest="privacy_command", required=True)
    purge = privacy.add_parser("purge", help="delete conversations idle for longer than the retention")
    purge.add_argument("--older-than", type=float, metavar="DAYS",
                       help="days without a message (default: HAMROH_RETENTION_DAYS, 30)")
    purge.set_defaults(func=_privacy_purge)

    content = commands.add_parser("content", help="knowledge-base tasks").add_subparsers(
        dest="content_command", required=True)
    load = content.add_parser("load", help="load the seed content (bot/content/seed/*.yml); safe to repeat")
    load.add_argument("--folder", help="folder with the YAML files (default: HAMROH_CONTENT_DIR, else the shipped seed)")
    load.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    load.set_defaults(func=_content_load)

    covered = content.add_parser("coverage", help="for every topic × city × citizenship, whether a person gets a "
                                                   "contact (cities with one, per topic and citizenship)")
    covered.add_argument("--reachable", action="store_true", help="count only organisations with a phone, site, "
                                                                  "e-mail or address")
    covered.add_argument("--json", help="also write every cell and the shares as JSON to this file")
    covered.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    covered.set_defaults(func=_content_coverage)

    from bot.admin.commands import add_commands

    add_commands(commands, content)

    endpoints = commands.add_parser("endpoints", help="write endpoints.yml with the action server on a given port")
    where = endpoints.add_mutually_exclusive_group(required=True)
    where.add_argument("--actions-port", type=int, help="the action server on 127.0.0.1 at this port")
    where.add_argument("--actions-url", help="the action server's webhook URL (a balancer in front of several)")
    endpoints.add_argument("--out", help="where to write it (default: HAMROH_STATE_DIR/endpoints.yml)")
    endpoints.set_defaults(func=_endpoints)

    creds = commands.add_parser("telegram-credentials",
                                help="write the Rasa credentials file (REST, and Telegram when TELEGRAM_TOKEN is set)")
    creds.add_argument("--out", help="where to write it (default: HAMROH_STATE_DIR/credentials.yml)")
    creds.set_defaults(func=_telegram_credentials)

    poll = commands.add_parser("telegram-poll",
                               help="fetch Telegram updates by long polling and feed them to the Rasa server")
    poll.add_argument("--rasa-url", default="http://127.0.0.1:5005", help="Rasa server address")
    poll.add_argument("--offset-file", help="where the next update id is saved (default: HAMROH_STATE_DIR)")
    poll.add_argument("--timeout", type=int, default=25, help="seconds of each long poll")
    poll.add_argument("--once", action="store_true", help="handle one batch of updates, then exit")
    poll.set_defaults(func=_telegram_poll)

    send = commands.add_parser("telegram-send",
                               help="send the Telegram replies of saved turns (one sender for all Rasa replicas)")
    send.add_argument("--poll-seconds", type=float, help="how often the outbox is looked at (default 0.05)")
    send.set_defaults(func=_telegram_send)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one subcommand."""
    from bot.admin.commands import require_author

    parser = build_parser()
    args = parser.parse_args(argv)
    problem = require_author(args)
    if problem:
        parser.error(problem)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
