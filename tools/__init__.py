"""Developer tools that run from a checkout: benchmarks and the process starters of tests and `make cluster`.

Not part of the installed package (pyproject.toml ships only bot/ and actions/).
"""

from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
"""The repository these tools run from (models/, deploy/, tests/nlu/ are read from here)."""
