"""The `hamroh` command: project tasks for developers and NGO maintainers."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def _chat(args: argparse.Namespace) -> int:
    from bot.chat import chat

    return chat(args.url, args.sender)


def _bench_nlu(args: argparse.Namespace) -> int:
    from bot.bench.nlu import main

    return main(args.model, args.heldout, args.out, args.min_macro_f1)


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.content.migrate import upgrade
    from bot.settings import get_settings

    upgrade(args.url)
    print(f"Database is at the latest schema: {_safe_url(args.url or get_settings().database_url)}")
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

    bench = commands.add_parser("bench-nlu", help="score the held-out split per language and style")
    bench.add_argument("--model", default="models/hamroh.tar.gz")
    bench.add_argument("--heldout", default="tests/nlu")
    bench.add_argument("--out", default="docs/bench/nlu.json")
    bench.add_argument("--min-macro-f1", type=float, default=None,
                       help="exit with an error if any language scores below this")
    bench.set_defaults(func=_bench_nlu)

    db = commands.add_parser("db", help="database tasks").add_subparsers(dest="db_command", required=True)
    db_upgrade = db.add_parser("upgrade", help="create or upgrade the database (Alembic migrations)")
    db_upgrade.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    db_upgrade.set_defaults(func=_db_upgrade)

    content = commands.add_parser("content", help="knowledge-base tasks").add_subparsers(
        dest="content_command", required=True)
    load = content.add_parser("load", help="load the seed content (content/*.yml); safe to repeat")
    load.add_argument("--folder", help="folder with the YAML files (default: content/)")
    load.add_argument("--url", help="database URL (default: DATABASE_URL or the SQLite file)")
    load.set_defaults(func=_content_load)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one subcommand."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
