"""Hides the deprecation warnings that Rasa 3.6's pinned dependencies raise on import, and nothing else.

`make run` printed 61 warnings before the first answer. Those about our data were fixed at their cause;
these remain, raised inside third-party imports: no code of ours calls the deprecated APIs, and only a
newer Rasa changes them. Each is hidden by its own message, so a new warning still shows.
`python -m bot.quiet train …` runs a Rasa command (`rasa train …`) with them hidden (`make train`).
"""

from __future__ import annotations

import os
import re
import sys
import warnings

UPSTREAM_DEPRECATIONS = (
    # (message prefix, who raises it)
    ("pkg_resources is deprecated", "rasa.shared.utils.validation"),
    ("Deprecated call to `pkg_resources.declare_namespace", "setuptools, for mpl_toolkits and ruamel"),
    ("distutils Version classes are deprecated", "sanic_cors"),
    ("jax.xla_computation is deprecated", "tensorflow.lite"),
    ("'setParseAction' deprecated", "pyparsing 3, called by matplotlib and packaging"),
    ("'parseString' deprecated", "pyparsing 3, called by matplotlib and packaging"),
    ("'resetCache' deprecated", "pyparsing 3, called by matplotlib"),
    ("'originalTextFor' deprecated", "pyparsing 3, called by packaging"),
    ("'click.utils.get_binary_stream' is deprecated", "typer, on Click 8.2"),
    ("'click.utils.get_text_stream' is deprecated", "typer, on Click 8.2"),
    ("'BaseCommand' is deprecated", "typer, on Click 8.2"),
    ("Importing 'parser.split_arg_string' is deprecated", "spaCy, on Click 8.2"),
)


def hide_upstream_deprecations() -> None:
    """Installs one filter per known upstream deprecation, ahead of every other filter."""
    # SQLAlchemy 1.4's one-line notice about 2.0, raised by Rasa's own tracker store (its documented switch).
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # TensorFlow's C++ notices that there is no GPU, CUDA or TensorRT: the bot runs on a CPU by design
    # (no component of ours uses TensorFlow). Errors still show.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    # Sanic's import adds `once` for every DeprecationWarning in front of the filters; import it first so
    # ours go in front of that (PYTHONWARNINGS alone is overridden by it).
    import sanic  # noqa: F401

    for prefix, _ in UPSTREAM_DEPRECATIONS:
        warnings.filterwarnings("ignore", message=re.escape(prefix), category=DeprecationWarning)
    # pyparsing's warnings are UserWarnings too, and Rasa later puts `once` for every UserWarning in front:
    # the modules that call it at import are imported now, while these filters come first.
    import matplotlib.fontconfig_pattern  # noqa: F401
    import packaging.requirements  # noqa: F401


def main() -> None:
    """Runs `rasa` with the arguments given, the upstream deprecations hidden."""
    hide_upstream_deprecations()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:]]
    rasa_main()


if __name__ == "__main__":
    main()
