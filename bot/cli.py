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
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one subcommand."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
