"""Starting the servers prints none of the upstream deprecations, and still shows any other warning."""

import os
import subprocess
import sys

# What the Rasa server and the action server import before the first answer, after Rasa's own warning setup.
SERVER_IMPORTS = """
import logging, warnings
{hide}
import rasa.core.agent, rasa.core.run, rasa.shared.utils.validation, rasa.utils.common as common
common.configure_logging_and_warnings(logging.INFO)
import rasa.core.tracker_store, rasa_sdk.endpoint, sanic_cors
import matplotlib.fontconfig_pattern, packaging.requirements, spacy.cli, tensorflow.lite.python.util
warnings.warn("a warning of our own", UserWarning)
"""


def _stderr(hide: str) -> str:
    # A server starts with none of these set; in the test process jax's import sets TF_CPP_MIN_LOG_LEVEL=1
    # (os.environ.setdefault), which the children would inherit.
    unset = ("PYTHONWARNINGS", "SQLALCHEMY_SILENCE_UBER_WARNING", "TF_CPP_MIN_LOG_LEVEL")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    done = subprocess.run([sys.executable, "-c", SERVER_IMPORTS.format(hide=hide)], env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_the_upstream_deprecations_are_hidden_and_nothing_else():
    shown = _stderr("")
    assert "'setParseAction' deprecated" in shown and "get_binary_stream' is deprecated" in shown  # there is noise
    quiet = _stderr("from bot.quiet import hide_upstream_deprecations; hide_upstream_deprecations()")
    warnings = [line for line in quiet.splitlines() if "Warning" in line]
    assert len(warnings) == 1 and "a warning of our own" in warnings[0], quiet
