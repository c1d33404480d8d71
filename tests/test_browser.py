"""End to end in a real browser: Debian's Chromium, driven by Playwright, nothing downloaded."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import app
from qa_bot import QABot
from qa_bot.texts import texts

from .test_app import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]
SCREENSHOTS = Path(os.environ.get("QA_BOT_SCREENSHOTS", Path(__file__).parent / "artifacts"))

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(bot: QABot) -> Iterator[object]:
    """A headless Chromium page on the real app, served on loopback."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("QA_BOT_REQUIRE_BROWSER"):
            pytest.fail("Chromium is missing: run `make test`, which installs Debian's chromium.")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    demo = app.build_demo(bot)
    port = free_port()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, css=app.CSS)
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 900, "height": 1500})
        page.goto(f"http://127.0.0.1:{port}/", wait_until="networkidle")
        try:
            yield page
        finally:
            browser.close()
            demo.close()


def ask(page: object, question: str) -> None:
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")


def test_patient_asks_and_sees_quote_source_and_disclaimer(page: object) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    ask(page, "What are the symptoms of cerebellar atrophy?")
    answer = page.locator(".qa-answer").last
    answer.wait_for(timeout=30_000)
    assert "The symptoms of cerebro cerebellar volume loss" in answer.locator("blockquote").first.inner_text()
    assert answer.locator("mark").count() >= 1
    assert "Cerebro cerebellar volume loss" in answer.locator(".cite").first.inner_text()
    assert texts().disclaimer in answer.locator(".disclaimer").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "chat.png"), full_page=True)
    assert dialogs == []


def test_markup_in_a_question_is_shown_as_text_and_never_runs(page: object) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script> **bold**'
    ask(page, evil)
    page.locator(".qa-answer").nth(1).wait_for(timeout=30_000)
    assert page.get_by_text('<img src=x onerror="alert(1)">', exact=False).count() >= 1
    page.wait_for_timeout(500)
    assert dialogs == []
