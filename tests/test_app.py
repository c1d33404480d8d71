"""The chat: rendering escapes everything, and a real Gradio server answers on loopback."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import gradio as gr
import pytest
import uvicorn
from fastapi import FastAPI
from gradio_client import Client

import app
from qa_bot import Answer, QABot
from qa_bot.answer import Highlight, Quote
from qa_bot.texts import texts
from qa_web.chat import render_answer
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
