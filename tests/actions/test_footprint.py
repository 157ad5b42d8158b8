"""The action server stays small: the actions never load Rasa (and TensorFlow with it)."""

import subprocess
import sys

from tools import CHECKOUT

CHECK = """
import sys
import actions.answers, actions.conversation, actions.fallback, actions.privacy
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("rasa", "tensorflow", "spacy"))
print(",".join(heavy[:5]))
"""


def test_importing_the_actions_loads_neither_rasa_nor_tensorflow():
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=CHECKOUT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the action server would import {result.stdout.strip()}"
