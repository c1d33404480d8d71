"""The chat: rendering escapes everything, and a real Gradio server answers on loopback."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from html import unescape

import gradio as gr
import pytest
import uvicorn
from fastapi import FastAPI
from gradio_client import Client

import app
from qa_bot import Answer, Notice, QABot
from qa_bot.answer import Highlight, Quote
from qa_bot.texts import texts
from qa_web.chat import plain_answer, render_answer, render_reply
from qa_web.html import escape
from qa_web.server import build_demo, create_app

EVIL = '<script>alert(1)</script> <img src=x onerror=alert(2)> **bold** [link](javascript:alert(3)) $x$'


def evil_answer() -> Answer:
    text = f"Before. {EVIL} After."
    start = text.index("<script>")
    return Answer(
        status="answered",
        quotes=(
            Quote(text, "doc", "<b>Title</b>", "javascript:alert(4)", 0, len(text), 0.9,
                  Highlight(EVIL, start, start + len(EVIL))),
        ),
    )


def test_document_text_is_shown_as_text_never_as_markup() -> None:
    rendered = render_answer(evil_answer())
    for active in ("<script", "<img", "<b>", "**", "[link]", "javascript:alert(4)\"", "$x$", "href=\"javascript"):
        assert active not in rendered
    assert "&#60;script&#62;alert&#40;1&#41;&#60;/script&#62;" in rendered
    assert rendered.count("<mark>") == 1
    assert escape(texts().disclaimer) in rendered


def test_https_sources_become_links() -> None:
    answer = evil_answer()
    quote = answer.quotes[0].__class__(**{**answer.quotes[0].__dict__, "source": "https://example.org/a?b=1&c=2"})
    rendered = render_answer(Answer(status="answered", quotes=(quote,)))
    assert '<a href="https://example&#46;org/a?b=1&#38;c=2" target="_blank" rel="noopener noreferrer">' in rendered


def content(message: dict) -> str:
    """The text of a chat message as the client receives it."""
    return "".join(part["text"] for part in message["content"] if part["type"] == "text")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running(server_app: FastAPI) -> Iterator[str]:
    """Serve `server_app` with uvicorn on a free loopback port in a thread; yields its base URL (no slash)."""
    port = free_port()
    config = uvicorn.Config(server_app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def served(bot: QABot) -> FastAPI:
    """The app exactly as `qa_web.server.serve` builds it: chat and search at /, the API at /api."""
    return create_app(bot, build_demo(bot))


@pytest.fixture(scope="module")
def server(bot: QABot) -> Iterator[str]:
    """The real app, served on loopback for this module as `qa_web.server.serve` serves it."""
    with running(served(bot)) as url:
        yield f"{url}/"


@pytest.mark.server
def test_chat_over_http_quotes_the_seed_with_source_and_disclaimer(server: str) -> None:
    client = Client(server, verbose=False)
    cleared, history = client.predict("What are the symptoms of cerebellar atrophy?", [], api_name="/chat")
    assert cleared == ""
    user, reply = history
    assert user["role"] == "user" and "symptoms of cerebellar atrophy" in content(user)
    reply_html = content(reply)
    first_quote = reply_html.split("<blockquote>")[1].split("</blockquote>")[0]
    assert first_quote.replace("<mark>", "").startswith("The symptoms of cerebro cerebellar volume loss")
    assert "<mark>" in reply_html and "Cerebro cerebellar volume loss</strong>" in reply_html
    assert escape(texts().disclaimer) in reply_html


@pytest.mark.server
def test_chat_over_http_escapes_the_question_and_handles_bad_input(server: str) -> None:
    client = Client(server, verbose=False)
    _, history = client.predict("<script>alert(1)</script>", [], api_name="/chat")
    assert "<script>" not in content(history[0])
    assert escape(texts().no_match) in content(history[1])
    _, history = client.predict("   ", history, api_name="/chat")
    assert len(history) == 4 and "Please type a question" in content(history[3])
    assert escape(texts().disclaimer) in content(history[3])


def test_demo_is_built_lazily_and_is_a_gradio_app(bot: QABot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.QABot, "load", classmethod(lambda cls: bot))
    monkeypatch.delitem(app.__dict__, "demo", raising=False)
    assert isinstance(app.demo, gr.Blocks)


def test_the_chat_passes_its_earlier_questions_latest_20_each_cut_to_1000(
    bot: QABot, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, tuple[str, ...]]] = []

    def ask(question: str, conversation: tuple[str, ...] = ()) -> Answer:
        calls.append((question, tuple(conversation)))
        return Answer("no_match")

    monkeypatch.setattr(bot, "ask", ask)
    demo = build_demo(bot)
    (respond,) = [f.fn for f in demo.fns.values() if f.api_name == "chat"]
    questions = [f"question {n} " + "x" * (1000 if n == 24 else 5) for n in range(26)]
    history, asked = [], None
    for question in questions:
        _, history, _, asked = respond(question, history, asked)
    assert calls[0] == (questions[0], ())
    assert calls[1] == (questions[1], (questions[0],))
    assert calls[-1] == (questions[-1], tuple(q[:1000] for q in questions[5:25]))
    assert len(calls[-1][1][-1]) == 1000
    _, history, _, asked = respond("a new chat", [], asked)  # a cleared chat has no earlier questions
    assert calls[-1] == ("a new chat", ())


def test_emergency_numbers_are_tel_links_and_the_text_is_unchanged() -> None:
    html = render_answer(Answer("no_match", notices=(Notice("crisis", texts().self_harm_crisis),)))
    assert re.findall(r'href="([^"]+)"', html) == ["tel:112", "tel:911", "tel:999", "tel:988", "tel:116123"]
    assert '<a href="tel:116123">116 123</a>' in html
    shown = re.sub(r"<[^>]+>", "", html.split("</p>")[0])
    assert unescape(shown) == texts().self_harm_crisis


def test_plain_answer_is_text_with_citations_notices_and_disclaimer() -> None:
    answer = replace(evil_answer(), notices=(Notice("unreviewed", texts().unreviewed_source),
                                             Notice("emergency", texts().emergency)))
    quote = answer.quotes[0]
    assert plain_answer(answer) == (
        f"{texts().emergency}\n\n{texts().unreviewed_source}\n\n"
        f"“{quote.text}”\n— <b>Title</b>. Source: javascript:alert(4)\n\n{texts().disclaimer}"
    )
    reply = render_reply(answer)
    assert reply.startswith(render_answer(answer)) and "<script" not in reply and "<b>" not in reply
    assert escape(texts().did_you_mean) in render_reply(replace(answer, choices=("A",)))
    assert escape(texts().you_could_ask) in render_reply(replace(answer, suggestions=("B",)))
