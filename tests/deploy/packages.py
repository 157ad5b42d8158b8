"""Tests that need a Debian server program skip without it, except where CI requires them."""

import os

import pytest


def installed(found, package):
    """Returns what was found; skips the test without it, or fails it when HAMROH_REQUIRE_CLUSTER_PACKAGES=1."""
    if found:
        return found
    message = f"{package} is not installed here (`make cluster-packages` installs it)"
    if os.environ.get("HAMROH_REQUIRE_CLUSTER_PACKAGES") == "1":
        pytest.fail(message)
    pytest.skip(message)
