"""Browser tests: Debian's Chromium driven by the playwright package, against
``live_server`` (with the ``live_db`` fixture from tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]

SKIP_WITHOUT_CHROMIUM = (
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"Debian's Chromium is not installed at {CHROMIUM}; "
                              "`make browser` installs it (apt-get install chromium)")
)


@pytest.fixture
def browser_page(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # The sync API runs an event loop in this thread; the ORM calls that live_server's
    # in-memory SQLite handling makes from here must not be refused for it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # The browser asks for English: the pages must still speak the company's Spanish.
        page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 800})
        try:
            yield page
        finally:
            browser.close()




def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(SKIP_WITHOUT_CHROMIUM)


def login(page, live_server, username: str, password: str | None = None) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or username)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
