"""Browser test: the real server (uvicorn) over a real SQLite ledger, driven by Debian's Chromium.

Skipped with a reason when Chromium is missing, unless CI=true (then missing Chromium fails the run).
Screenshots are kept under test-artifacts/ (gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from armsledger.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but Chromium is missing at {CHROMIUM}: run scripts/system-deps.sh")
    pytest.skip(
        f"Chromium not found at {CHROMIUM} (install it: apt-get install chromium); CI would fail here"
    )


@pytest.fixture
def server(web_db: Path, tokens: dict[str, str]) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(str(web_db)), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_analyst_reviews_a_claim_in_the_browser(server: str, tokens: dict[str, str]) -> None:
    _require_chromium()
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    profile = tempfile.mkdtemp(prefix="armsledger-chromium-")
    try:
        with sync_playwright() as pw:
            # A fresh profile directory: Playwright passes it as --user-data-dir.
            browser = pw.chromium.launch_persistent_context(
                profile,
                executable_path=str(CHROMIUM),
                args=LAUNCH_ARGS,
                viewport={"width": 1280, "height": 800},
            )
            page = browser.new_page()
            page.goto(f"{server}/")
            assert page.url.endswith("/login")
            page.fill("input[name=name]", "analyst")
            page.fill("input[name=token]", tokens["analyst"])
            page.click("form[action='/login'] button[type=submit]")
            page.wait_for_url(f"{server}/")
            # Charts are drawn server-side: the Sankey has bands and the timelines have bands and lines.
            assert page.locator("svg.sankey path.link").count() > 0
            assert page.locator("svg.timeline rect.band").count() > 0
            box = page.locator("svg.sankey").bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 50
            page.screenshot(path=str(ARTIFACTS / "dashboard-1280.png"), full_page=True)

            page.goto(f"{server}/review")
            first = page.locator("li.queue-item").first
            claim_id = (first.get_attribute("id") or "").removeprefix("q-")
            assert claim_id
            first.locator("button[value=accept]").click()
            page.wait_for_url(f"{server}/review")
            assert page.locator(f"#q-{claim_id}").count() == 0

            page.goto(f"{server}/audit")
            row = page.locator("tr.audit-row").first
            assert "analyst" in row.inner_text() and claim_id in row.inner_text()
            assert "Chain verified" in page.locator("#audit-check").inner_text()
            page.screenshot(path=str(ARTIFACTS / "audit-1280.png"), full_page=True)

            phone = browser.new_page()
            phone.set_viewport_size({"width": 390, "height": 844})
            phone.goto(f"{server}/")
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 400, f"page overflows a phone screen: {width}px"
            phone.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"), full_page=True)
            doc = phone.locator("#latest a").first
            doc.click()
            assert phone.locator("mark.ev").count() > 0
            phone.screenshot(path=str(ARTIFACTS / "document-phone.png"), full_page=True)
            browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
