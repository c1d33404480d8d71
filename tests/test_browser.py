"""End to end in a real browser: Debian's Chromium, driven by Playwright, nothing downloaded.

One server (chat and staff search at /, as `qa-bot serve` builds it) and one browser per module, over
the seed corpus plus a linked document and a document full of markup and script.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from qa_bot import Answer, QABot, Settings
from qa_bot.embedding import Embedder
from qa_bot.feedback import read_feedback
from qa_bot.texts import texts
from qa_web.chat import plain_answer
from qa_web.search_view import PAGE_SIZE, citation, find

from .staff_corpus import EVIL_MARKUP, EVIL_TITLE, shown_matches, staff_bot
from .test_app import running, served
from .test_disclaimer_everywhere import CRISIS, EMERGENCY

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
]
SCREENSHOTS = Path(os.environ.get("QA_BOT_SCREENSHOTS", Path(__file__).parent / "artifacts"))

pytestmark = pytest.mark.browser

# The accessible name of an element, as far as labels, ARIA and text give one.
ACCESSIBLE_NAME = """el => {
  const byIds = (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
    .map(id => document.getElementById(id)?.innerText || '').join(' ');
  const labels = el.labels ? [...el.labels].map(l => l.innerText).join(' ') : '';
  const holder = el.closest('label');
  return (el.getAttribute('aria-label') || byIds || labels || (holder ? holder.innerText : '')
          || (['BUTTON', 'A'].includes(el.tagName) || el.getAttribute('role') ? el.innerText : '')
          || el.title || '').trim();
}"""


@pytest.fixture(scope="module")
def site(seed_settings: Settings, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """The app on loopback over the staff corpus (with its markup-laden document)."""
    bot = staff_bot(tmp_path_factory.mktemp("browser"), seed_settings, embedder)
    with running(served(bot)) as url:
        yield url, bot


@pytest.fixture(scope="module")
def browser(site: tuple[str, QABot]) -> Iterator[object]:
    """Headless Chromium, once per module."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("QA_BOT_REQUIRE_BROWSER"):
            pytest.fail("Chromium is missing: run `make test`, which installs Debian's chromium.")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: object, url: str, width: int, height: int) -> object:
    """A page on the app in a fresh context; every dialog a script opens is recorded in `page.dialogs`."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    load(page, f"{url}/")
    return page


@pytest.fixture(scope="module")
def page(browser: object, site: tuple[str, QABot]) -> object:
    """The app on a desktop-sized page."""
    return open_page(browser, site[0], 900, 1500)


@pytest.fixture(scope="module")
def phone(browser: object, site: tuple[str, QABot]) -> object:
    """The app on a phone-sized page (390×844, an iPhone 12 to 15)."""
    return open_page(browser, site[0], 390, 844)


def load(page: object, url: str) -> None:
    """Open the app; its heartbeat stream never lets the network idle, so wait for the question box."""
    page.goto(url, wait_until="load")
    page.get_by_label("Your question").wait_for(timeout=30_000)


def ask(page: object, question: str) -> None:
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")


def open_tab(page: object, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def screenshot(page: object, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=full_page)


def new_reply(page: object, question: str) -> object:
    """Ask `question` and return its reply (the chat's next `.qa-answer`) once shown."""
    before = page.locator(".qa-answer").count()
    ask(page, question)
    reply = page.locator(".qa-answer").nth(before)
    reply.wait_for(timeout=30_000)
    return reply


# Whether the top of an element shows in the window: inside the viewport, not hidden by a scrolled box,
# nor under the chat's floating label (which lets clicks through, so elementFromPoint would not see it).
TOP_IN_VIEW = """el => {
  const r = el.getBoundingClientRect();
  const x = r.left + Math.min(12, r.width / 2), y = r.top + 4;
  if (y < 0 || y > window.innerHeight - 4 || x < 0 || x > window.innerWidth) return false;
  const label = document.querySelector('#qa-chat [data-testid="block-label"]').getBoundingClientRect();
  if (r.top < label.bottom && r.right > label.left && r.left < label.right) return false;
  const hit = document.elementFromPoint(x, y);
  return hit !== null && (hit === el || el.contains(hit));
}"""


def test_patient_asks_and_sees_quote_source_and_disclaimer(page: object) -> None:
    ask(page, "What are the symptoms of cerebellar atrophy?")
    answer = page.locator(".qa-answer").last
    answer.wait_for(timeout=30_000)
    assert "The symptoms of cerebro cerebellar volume loss" in answer.locator("blockquote").first.inner_text()
    assert answer.locator("mark").count() >= 1
    assert "Cerebro cerebellar volume loss" in answer.locator(".cite").first.inner_text()
    assert texts().disclaimer in answer.locator(".disclaimer").inner_text()
    screenshot(page, "chat.png")
    assert page.dialogs == []


def test_patient_rates_the_answer_with_a_comment(page: object, site: tuple[str, QABot]) -> None:
    before = page.locator(".qa-answer").count()
    ask(page, "What are the symptoms of cerebellar atrophy?")
    page.locator(".qa-answer").nth(before).wait_for(timeout=30_000)
    page.get_by_label("Comment on the last answer (optional)").fill("Clear, thank you.")
    page.get_by_role("button", name="Helpful icon Helpful").click()  # Gradio names the icon too
    page.get_by_text("Thank you: your rating was saved").wait_for(timeout=10_000)
    (entry,) = read_feedback(site[1].settings.feedback_dir)
    assert (entry.question, entry.rating, entry.comment) == (
        "What are the symptoms of cerebellar atrophy?", "up", "Clear, thank you."
    )
    assert entry.quotes and all(q.doc_id == "cerebellar-volume-loss" for q in entry.quotes)


def test_markup_in_a_question_is_shown_as_text_and_never_runs(page: object) -> None:
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script> **bold**'
    before = page.locator(".qa-answer").count()
    ask(page, evil)
    page.locator(".qa-answer").nth(before).wait_for(timeout=30_000)
    assert page.get_by_text('<img src=x onerror="alert(1)">', exact=False).count() >= 1
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_markup_in_a_document_is_quoted_as_text_in_the_chat(page: object) -> None:
    before = page.locator(".qa-answer").count()
    ask(page, "What is tinnitus, the ringing in the ears?")
    answer = page.locator(".qa-answer").nth(before)
    answer.wait_for(timeout=30_000)
    assert EVIL_MARKUP in answer.inner_text()
    assert EVIL_TITLE in answer.locator(".cite").first.inner_text()
    assert answer.locator("img, script, a[href^='javascript']").count() == 0
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_staff_search_as_they_type_pages_and_copies_with_citation(page: object, site: tuple[str, QABot]) -> None:
    open_tab(page, "Search (staff)")
    page.get_by_label("Search words").press_sequentially("balance and dizziness", delay=20)  # no Enter
    results = page.locator("#staff-results .qa-hit")
    page.locator("#staff-results .qa-hit h3", has_text="1. ").wait_for(timeout=15_000)
    expected = find(site[1], "balance and dizziness")
    first = f"1. {expected.hits[0].passage.title}"
    page.wait_for_function(  # results for the words typed so far may arrive first
        "([n, first]) => document.querySelectorAll('#staff-results .qa-hit').length === n"
        " && document.querySelector('#staff-results .qa-hit h3')?.innerText === first",
        arg=[len(expected.hits), first], timeout=15_000,
    )
    settled(page, "#staff-results")
    assert results.count() == PAGE_SIZE
    assert results.first.locator("h3").inner_text() == first
    assert results.first.locator("mark").count() == 1
    shown = shown_matches(page.locator("#staff-results").inner_text())
    assert len(shown) == PAGE_SIZE and shown == sorted(shown, reverse=True)  # listed by the match shown
    page.locator("#staff-pager", has_text=f"Page 1 of {expected.pages}").wait_for(timeout=5_000)
    screenshot(page, "search.png")

    copy = results.first.get_by_role("button", name="Copy quote with citation", exact=False)
    copy.click()
    results.first.get_by_text("Copied with its citation.").wait_for(timeout=5_000)
    assert page.evaluate("navigator.clipboard.readText()") == citation(expected.hits[0])

    page.get_by_role("button", name="Next page").click()
    page.locator("#staff-results .qa-hit h3", has_text=f"{PAGE_SIZE + 1}. ").wait_for(timeout=10_000)
    page.locator("#staff-pager", has_text=f"Page 2 of {expected.pages}").wait_for(timeout=5_000)


def test_staff_filter_by_document(page: object) -> None:
    page.get_by_role("combobox", name="Document").click()
    page.get_by_role("option", name="Nystagmus").click()
    page.wait_for_function("document.querySelectorAll('#staff-results .qa-hit').length === 1", timeout=10_000)
    assert page.locator("#staff-results h3").inner_text() == "1. Nystagmus"
    link = page.locator("#staff-results .meta a")
    assert link.get_attribute("href") == "https://example.org/nystagmus?lang=en&v=2"
    assert link.get_attribute("rel") == "noopener noreferrer"


def test_markup_in_a_document_and_in_a_search_is_shown_as_text_in_the_staff_view(page: object) -> None:
    page.get_by_role("combobox", name="Document").click()
    page.get_by_role("option", name="All documents").click()
    box = page.get_by_label("Search words")
    box.fill("ringing buzzing hissing sound in the ears")
    box.press("Enter")
    hit = page.locator("#staff-results .qa-hit", has_text="Tinnitus").first
    hit.wait_for(timeout=10_000)
    assert EVIL_MARKUP in hit.inner_text() and EVIL_TITLE in hit.locator("h3").inner_text()
    assert page.locator("#staff-results img, #staff-results script, #staff-results a[href^='javascript']").count() == 0
    box.fill('<img src=x onerror="alert(5)"> ${alert(6)} {{constructor.constructor("alert(7)")()}}')
    box.press("Enter")
    page.wait_for_timeout(800)
    assert page.dialogs == []


def settled(page: object, selector: str, quiet_ms: int = 700, timeout_ms: int = 15_000) -> None:
    """Wait until `selector`'s HTML stops changing: searches for the words typed so far may still be
    answered after the last one, and each answer re-renders the results (and drops the focus)."""
    page.wait_for_function(
        """([selector, quiet]) => {
          const html = document.querySelector(selector)?.innerHTML ?? '';
          const now = performance.now();
          if (window.__settled?.html !== html) { window.__settled = {html, since: now}; return false; }
          return now - window.__settled.since >= quiet;
        }""",
        arg=[selector, quiet_ms], timeout=timeout_ms, polling=100,
    )


def tab_until(page: object, condition: str, limit: int = 80) -> None:
    """Press Tab until `condition` (JS over `el`, the focused element, and `name`, its label) holds."""
    check = f"(() => {{ const el = document.activeElement; const name = ({ACCESSIBLE_NAME})(el); "
    check += f"return {condition}; }})()"
    for _ in range(limit):
        if page.evaluate(check):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"never reached by keyboard: {condition}")


def test_chat_and_search_work_with_the_keyboard_alone(page: object, site: tuple[str, QABot]) -> None:
    load(page, page.url)
    page.locator("body").focus()
    tab_until(page, "el.tagName === 'TEXTAREA' && name.startsWith('Your question')")
    page.keyboard.type("What is cerebellar atrophy?")
    page.keyboard.press("Enter")
    page.locator(".qa-answer").first.wait_for(timeout=30_000)
    assert "also known as cerebellar atrophy" in page.locator(".qa-answer").first.inner_text()

    tab_until(page, "el.getAttribute('role') === 'tab' && name.startsWith('Search')")
    page.keyboard.press("Enter")
    page.get_by_label("Search words").wait_for(timeout=10_000)  # the tab renders its panel asynchronously
    tab_until(page, "el.tagName === 'TEXTAREA' && name.startsWith('Search words')")
    page.keyboard.type("involuntary eye movement")
    page.keyboard.press("Enter")
    page.locator("#staff-results .qa-hit h3", has_text="Nystagmus").first.wait_for(timeout=30_000)
    settled(page, "#staff-results")
    tab_until(page, "el.classList.contains('copy-quote')")
    page.keyboard.press("Enter")
    page.locator("#staff-results .copy-status", has_text="Copied").first.wait_for(timeout=15_000)
    assert page.evaluate("navigator.clipboard.readText()").startswith("“")


def test_every_visible_control_has_a_label_in_both_views(page: object) -> None:
    unlabelled = f"""() => [...document.querySelectorAll(
        'input, textarea, select, button, [role=tab], [role=button], [role=combobox], [role=listbox], a[href]')]
      .filter(el => el.offsetParent !== null && el.type !== 'hidden')
      .filter(el => !({ACCESSIBLE_NAME})(el))
      .map(el => el.outerHTML.slice(0, 160))"""
    for view in ("Chat", "Search (staff)"):
        open_tab(page, view)
        page.wait_for_timeout(300)
        assert page.evaluate(unlabelled) == [], view


CONTRAST = """el => {
  const rgb = c => { const m = c.match(/[\\d.]+/g); if (!m) throw new Error("colour " + c); return m.map(Number); };
  const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  let bg = el; while (bg && (getComputedStyle(bg).backgroundColor === 'rgba(0, 0, 0, 0)')) bg = bg.parentElement;
  const a = lum(rgb(getComputedStyle(el).color));
  const b = lum(rgb(bg ? getComputedStyle(bg).backgroundColor : 'rgb(255, 255, 255)'));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_text_contrast_is_readable(page: object) -> None:
    open_tab(page, "Search (staff)")
    page.get_by_label("Search words").fill("balance")
    page.get_by_label("Search words").press("Enter")
    page.locator("#staff-results blockquote").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)  # typing and Enter both re-render the results; measure the last ones
    for selector in ("#staff-results blockquote", "#staff-results mark", "#staff-results .meta", "button.copy-quote"):
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 4.5, (selector, ratio)
    open_tab(page, "Chat")
    ask(page, "What is cerebellar atrophy?")
    page.locator(".qa-answer blockquote").first.wait_for(timeout=30_000)
    for selector in (".qa-answer blockquote", ".qa-answer .cite", ".qa-answer .disclaimer"):
        ratio = page.locator(selector).first.evaluate(CONTRAST)
        assert ratio >= 4.5, (selector, ratio)


# An emergency that the seed corpus also has passages about: the alert, then quotes.
EMERGENCY_WITH_QUOTES = "My dad has cerebellar atrophy and now his face is drooping and he can't lift his arm"


@pytest.mark.parametrize("view", ["phone", "page"])
def test_an_emergency_reply_shows_its_alert_and_first_quote_on_arrival(
    view: str, request: pytest.FixtureRequest
) -> None:
    page = request.getfixturevalue(view)
    new_reply(page, "What are the symptoms of cerebellar atrophy?")  # an earlier, long reply to scroll past
    reply = new_reply(page, EMERGENCY_WITH_QUOTES)
    alert = reply.locator(".notice.emergency")
    quote = reply.locator("blockquote").first
    page.wait_for_timeout(600)  # the reply is scrolled into view a frame after it is drawn
    assert alert.evaluate(TOP_IN_VIEW), "the emergency box's top is out of view"
    assert quote.evaluate(TOP_IN_VIEW), "the first quote's top is out of view"
    if view == "phone":
        screenshot(page, "chat-phone-emergency.png", full_page=False)  # what the phone shows
    else:
        screenshot(page, "chat-desktop-emergency.png", full_page=False)


def test_emergency_numbers_are_tappable_and_the_text_is_the_reviewed_text(page: object) -> None:
    for question, text, numbers in (
        (EMERGENCY, texts().emergency, ["112", "911", "999"]),
        (CRISIS, texts().self_harm_crisis, ["112", "911", "999", "988", "116123"]),
    ):
        alert = new_reply(page, question).locator(".notice.emergency").first
        links = alert.locator("a[href^='tel:']")
        assert [links.nth(i).get_attribute("href") for i in range(links.count())] == [f"tel:{n}" for n in numbers]
        assert alert.evaluate("el => el.textContent") == text


def test_copying_a_reply_gives_plain_text_with_citations(page: object, site: tuple[str, QABot]) -> None:
    question = "What are the symptoms of cerebellar atrophy?"
    reply = new_reply(page, question)
    tools = reply.locator("xpath=following-sibling::p[contains(@class, 'qa-tools')]")
    tools.get_by_role("button", name=texts().copy_answer).click()
    tools.get_by_text(texts().copied_answer).wait_for(timeout=15_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == plain_answer(site[1].ask(question))
    assert copied.startswith(f"{texts().unreviewed_source}\n\n“The symptoms of cerebro cerebellar volume loss")
    assert "— Cerebro cerebellar volume loss. Source: " in copied and copied.endswith(texts().disclaimer)
    assert "<" not in copied and "&#" not in copied
    assert page.locator("#qa-chat button[aria-label='Copy message'], #qa-chat .copy-button").count() == 0


CLARIFY = "Is it serious?"
PASSPORT = "How do I renew my passport?"
SUGGESTED = "What is nystagmus?"


@pytest.fixture
def offering(site: tuple[str, QABot], monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[str, ...]]]:
    """The served bot, made to offer choices for CLARIFY and a suggestion for PASSPORT (what the
    library's own clarify and no-match logic decides is tested there); returns its `ask` calls."""
    bot, calls = site[1], []
    real = bot.ask

    def ask(question: str, conversation: tuple[str, ...] = ()) -> Answer:
        calls.append((question, tuple(conversation)))
        if question == CLARIFY and conversation[-1:] != ("Nystagmus",):
            return Answer(status="clarify", choices=("Nystagmus", EVIL_TITLE))
        answer = real(question, conversation=conversation)
        return replace(answer, suggestions=(SUGGESTED,)) if question == PASSPORT else answer

    monkeypatch.setattr(bot, "ask", ask)
    return calls


def test_choices_and_suggestions_are_buttons_that_ask_at_once(page: object, offering: list) -> None:
    load(page, page.url)  # a new session: no earlier questions
    first = "What is cerebellar atrophy?"
    new_reply(page, first)
    assert offering[-1] == (first, ())

    new_reply(page, CLARIFY)
    assert offering[-1] == (CLARIFY, (first,))
    page.locator(".qa-options-label", has_text=texts().did_you_mean).last.wait_for(timeout=5_000)
    options = page.locator("#qa-chat button.option")
    assert [options.nth(i).inner_text() for i in range(options.count())] == ["Nystagmus", EVIL_TITLE]
    before = page.locator(".qa-answer").count()
    page.get_by_role("button", name="Nystagmus", exact=True).click()
    page.locator(".qa-answer").nth(before).wait_for(timeout=30_000)
    assert offering[-1] == (CLARIFY, (first, "Nystagmus"))  # the same question, about the chosen title

    new_reply(page, PASSPORT)
    assert offering[-1] == (PASSPORT, (first, CLARIFY, "Nystagmus"))
    page.locator(".qa-options-label", has_text=texts().you_could_ask).last.wait_for(timeout=5_000)
    before = page.locator(".qa-answer").count()
    page.get_by_role("button", name=SUGGESTED, exact=True).click()
    reply = page.locator(".qa-answer").nth(before)
    reply.wait_for(timeout=30_000)
    assert offering[-1] == (SUGGESTED, (first, CLARIFY, "Nystagmus", PASSPORT))
    assert "Nystagmus" in reply.locator(".cite").first.inner_text()
    assert page.locator("#qa-chat button.option").count() == 0  # the answer offers nothing more
    assert page.locator(".qa-options-label:visible").count() == 0  # nor do the earlier replies any longer
    assert page.dialogs == []
