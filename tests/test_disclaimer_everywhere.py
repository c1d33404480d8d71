"""Every interface (Python API, CLI text and JSON, chat callback and HTML, HTTP API) carries the
disclaimer on every answer, and shows the emergency or crisis message before anything else."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html import unescape

import pytest

from qa_bot import Answer, InvalidQuery, Notice, QABot
from qa_bot.cli import format_answer, main
from qa_bot.texts import texts
from qa_web.chat import render_answer, render_error
from qa_web.html import escape
from qa_web.server import build_demo

ANSWERED = "What are the symptoms of cerebellar atrophy?"
NO_MATCH = "How do I renew my passport?"
EMERGENCY = "my dad's face is drooping and he can't lift his arm"
CRISIS = "I want to kill myself"
ADVICE = "Should I stop taking my medication for cerebellar atrophy?"
INFORMATIONAL = "Can a stroke cause cerebellar atrophy?"
MIXED_SCRIPT_CRISIS = "I want to kіll myself"  # Cyrillic і: refused as typed, but the crisis text still shows
QUESTIONS = [ANSWERED, NO_MATCH, EMERGENCY, CRISIS, ADVICE, INFORMATIONAL, MIXED_SCRIPT_CRISIS]

FIRST_NOTICE = {EMERGENCY: texts().emergency, CRISIS: texts().self_harm_crisis,
                MIXED_SCRIPT_CRISIS: texts().self_harm_crisis}


@pytest.fixture(scope="module")
def answers(bot: QABot) -> dict[str, Answer]:
    """Each question asked once through the Python API."""
    return {q: bot.ask(q) for q in QUESTIONS}


def test_python_api_every_answer_has_the_disclaimer(answers: dict[str, Answer]) -> None:
    for question, answer in answers.items():
        assert answer.disclaimer == texts().disclaimer, question
        assert answer.to_dict()["disclaimer"] == texts().disclaimer
        assert set(answer.to_dict()) == {"status", "quotes", "notices", "choices", "suggestions", "disclaimer"}


def test_python_api_emergency_first_then_advice_then_quotes(answers: dict[str, Answer]) -> None:
    for question, first in FIRST_NOTICE.items():
        assert answers[question].notices[0].text == first and answers[question].notices[0].urgent, question
    assert answers[ADVICE].notices[0] == Notice("personal_advice", texts().personal_advice)
    assert answers[ADVICE].status == "answered"
    for question in (ANSWERED, NO_MATCH, INFORMATIONAL):
        assert not {"emergency", "crisis", "personal_advice"} & {n.kind for n in answers[question].notices}, question
    assert answers[INFORMATIONAL].status == "answered"  # the seed says a stroke can cause it
    assert answers[MIXED_SCRIPT_CRISIS].notices == (
        Notice("crisis", texts().self_harm_crisis), Notice("input_error", texts().mixed_script)
    )


def test_an_emergency_with_no_quotes_still_shows_the_emergency_text(bot: QABot) -> None:
    answer = bot.ask("I took 30 pills")
    assert answer.notices[0] == Notice("emergency", texts().emergency) and answer.disclaimer == texts().disclaimer
    over_long = "I can't breathe " + "please help " * 450
    answer = bot.ask(over_long)
    assert answer.status == "no_match" and answer.notices[0] == Notice("emergency", texts().emergency)
    assert answer.notices[1].kind == "input_error" and "characters long" in answer.notices[1].text


@pytest.mark.parametrize("bad", ["", "   ", "x" * 5001, "what\x00 is this", "strоke", 42, None])
def test_refused_input_is_a_clear_error_never_a_crash(bot: QABot, bad: object) -> None:
    with pytest.raises(InvalidQuery) as refused:
        bot.ask(bad)  # type: ignore[arg-type]
    assert str(refused.value) in {
        texts().empty_question, texts().control_characters, texts().mixed_script, texts().not_text,
        texts().question_too_long.format(length=5001, limit=bot.settings.max_query_chars),
    }


@pytest.fixture
def cli(bot: QABot, isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., str]:
    """Run `qa-bot` in-process against the session's index; returns standard output."""
    isolated_env.setenv("QA_BOT_CORPUS", str(bot.settings.corpus_dir))
    isolated_env.setenv("QA_BOT_INDEX", str(bot.settings.index_dir))

    def run(*argv: str) -> str:
        main(list(argv))
        return capsys.readouterr().out

    return run


def test_cli_text_every_answer_ends_with_the_disclaimer(cli: Callable[..., str]) -> None:
    out = cli("ask", *QUESTIONS)
    blocks = out.split("Question: ")[1:]
    assert len(blocks) == len(QUESTIONS)
    for question, block in zip(QUESTIONS, blocks, strict=True):
        assert block.startswith(question)
        assert block.rstrip().endswith(f"Disclaimer: {texts().disclaimer}")
        if question in FIRST_NOTICE:  # the first line after the question is the emergency text
            assert block.splitlines()[2] == f"!!! {FIRST_NOTICE[question]}"


def test_cli_json_every_answer_has_the_disclaimer(cli: Callable[..., str]) -> None:
    lines = [json.loads(line) for line in cli("ask", "--json", *QUESTIONS).splitlines()]
    assert len(lines) == len(QUESTIONS)
    assert all(a["disclaimer"] == texts().disclaimer for a in lines)
    for question, answer in zip(QUESTIONS, lines, strict=True):
        if question in FIRST_NOTICE:
            assert answer["notices"][0] == {"kind": answer["notices"][0]["kind"], "text": FIRST_NOTICE[question]}


def test_cli_format_answer_puts_the_emergency_before_quotes(answers: dict[str, Answer]) -> None:
    text = format_answer(EMERGENCY, answers[EMERGENCY])
    assert text.index(texts().emergency) < text.index("Disclaimer:")
    if answers[EMERGENCY].quotes:
        assert text.index(texts().emergency) < text.index("[1] ")


def chat_callback(bot: QABot) -> Callable[..., tuple]:
    """The chat's submit callback, taken from the real Blocks, to call as a plain function."""
    demo = build_demo(bot)
    (fn,) = [f.fn for f in demo.fns.values() if f.api_name == "chat"]
    return fn


def test_chat_every_reply_has_the_disclaimer_and_emergencies_come_first(bot: QABot) -> None:
    respond = chat_callback(bot)
    history: list[dict] = []
    for question in [*QUESTIONS, "", "x" * 5000]:
        _, history, *_ = respond(question, history)
        reply = history[-1]["content"]
        assert history[-1]["role"] == "assistant"
        assert escape(texts().disclaimer) in reply, question
        if question in FIRST_NOTICE:  # the first thing in the reply is the red alert with that text
            first = reply.removeprefix('<div class="qa-answer">')
            assert first.startswith('<p class="notice emergency" role="alert"'), question
            assert shown(first.split(">", 1)[1]).startswith(FIRST_NOTICE[question])
    assert len(history) == 2 * (len(QUESTIONS) + 2)


def shown(html: str) -> str:
    """The text a browser shows for `html` (tags dropped, entities read)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_rendered_html_puts_emergency_above_everything() -> None:
    notices = (Notice("no_match", texts().no_match), Notice("emergency", texts().emergency),
               Notice("personal_advice", texts().personal_advice))
    answer = Answer(status="no_match", notices=notices)
    html = render_answer(answer)
    order = [shown(html).index(t) for t in (texts().emergency, texts().no_match, texts().personal_advice)]
    assert order[0] < order[1] and order[0] < order[2]
    assert html.count('class="notice emergency"') == 1 and html.endswith(
        f'<p class="disclaimer">{escape(texts().disclaimer)}</p></div>'
    )
    assert escape(texts().disclaimer) in render_error(texts().empty_question)


def test_http_api_answers_carry_the_disclaimer(bot: QABot) -> None:
    api = pytest.importorskip("qa_web.api")
    testclient = pytest.importorskip("fastapi.testclient")
    from fastapi import FastAPI

    server = FastAPI()
    api.add_api(server, bot)
    client = testclient.TestClient(server)
    for question in QUESTIONS:
        body = client.post("/api/ask", json={"question": question}).json()
        assert body["disclaimer"] == texts().disclaimer, question
        if question in FIRST_NOTICE:
            assert body["notices"][0]["text"] == FIRST_NOTICE[question]


def test_the_page_shows_the_texts_version(bot: QABot) -> None:
    demo = build_demo(bot)
    shown = [getattr(b, "value", "") for b in demo.blocks.values()]
    assert any(f"Texts version {escape(texts().version)}" in str(v) for v in shown)
