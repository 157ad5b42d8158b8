"""A live workspace on 127.0.0.1 and Debian's headless Chromium driven by Playwright (no browser download)."""

import csv
import io
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.admin.conftest import PASSWORD, users  # noqa: F401 - shared fixture
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
    """Serves the workspace on a free local port, as behind one reverse proxy (the client address is the one in
    X-Forwarded-For, which the tests' browsers send to stand for different people); yields its base URL."""
    app = make_app(users, proxy_hops=1)
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


def sign_in(browser, base, username, width=1400, address="192.0.2.1"):
    """A person in their own browser (and from their own address, as the proxy reports it)."""
    context = browser.new_context(locale="ru-RU", viewport={"width": width, "height": 1000},
                                  extra_http_headers={"X-Forwarded-For": address})
    page = context.new_page()
    page.goto(f"{base}/")
    assert "/login" in page.url
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_selector("#who", state="attached")
    return page


def guess_wrong(browser, base, username, address, times=5):
    """Someone at an address tries wrong passwords for an account; returns their page, on the sign-in form."""
    page = browser.new_context(extra_http_headers={"X-Forwarded-For": address}).new_page()
    for attempt in range(times):
        page.goto(f"{base}/login")
        page.fill("#username", username)
        page.fill("#password", f"guess number {attempt}")
        page.click("#sign-in")
        page.wait_for_selector("#error")
    return page


def rewrite_csv(text, path, change):
    """Writes an exported CSV again as a spreadsheet saves it, after `change(rows)`; returns the rows."""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return rows
