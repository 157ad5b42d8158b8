"""A live workspace on 127.0.0.1 and Debian's headless Chromium driven by Playwright (no browser download)."""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.admin.conftest import users  # noqa: F401 - shared fixture
from tests.admin.web import make_app

CHROMIUM = os.environ.get("HAMROH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _unavailable(reason):
    if os.environ.get("HAMROH_REQUIRE_BROWSER"):
        pytest.fail(f"HAMROH_REQUIRE_BROWSER is set but {reason} (make test-admin-browser installs both)")
    pytest.skip(reason)


@pytest.fixture(scope="module")  # closed before other modules: Playwright holds an event loop
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def workspace(users):  # noqa: F811
    """Serves the workspace on a free local port; yields its base URL."""
    app = make_app(users)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: docs/admin with HAMROH_SCREENSHOTS_DIR set (make admin-screenshots), else a temp folder."""
    folder = Path(os.environ.get("HAMROH_SCREENSHOTS_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
