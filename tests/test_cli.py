"""The `qa-bot` command: questions from arguments, a file or stdin; JSON lines; clear errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_bot import QABot, Settings
from qa_bot.cli import main
from qa_bot.texts import texts

from .staff_corpus import SEARCH_QUERIES, shown_matches

QUESTIONS = ["What is cerebellar atrophy?", "How do I renew my passport?"]


@pytest.fixture
def env(bot: QABot, isolated_env: pytest.MonkeyPatch) -> Settings:
    """Point the CLI at the session's seed corpus and index through the environment."""
    isolated_env.setenv("QA_BOT_CORPUS", str(bot.settings.corpus_dir))
    isolated_env.setenv("QA_BOT_INDEX", str(bot.settings.index_dir))
    return bot.settings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("source", ["arguments", "file", "stdin"])
def test_ask_json_prints_one_answer_per_question_in_order(
    env: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, source: str
) -> None:
    if source == "arguments":
        argv = ["ask", "--json", *QUESTIONS]
    elif source == "file":
        (tmp_path / "q.txt").write_text("\n".join(QUESTIONS) + "\n\n")
        argv = ["ask", "--json", "--file", str(tmp_path / "q.txt")]
    else:
        monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(QUESTIONS)))
        argv = ["ask", "--json", "--file", "-"]
    code, out, err = run(capsys, *argv)
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and err == ""
    assert [a["status"] for a in answers] == ["answered", "no_match"]
    assert all(a["disclaimer"] == texts().disclaimer for a in answers)
    assert answers[0]["quotes"][0]["doc_id"] == "cerebellar-volume-loss"


def test_search_prints_passages_by_the_match_it_shows(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    bot = QABot.load(env)
    for query in SEARCH_QUERIES:
        code, out, err = run(capsys, "search", query, "--limit", "20")
        hits = bot.search(query, 20).hits
        shown = shown_matches(out)
        assert (code, err) == (0, "") and shown == sorted(shown, reverse=True) and len(shown) == len(hits), query
        assert (texts().search_match in out) == bool(hits) and [f"[{n}] match {h.match_percent} · {h.title}" in out
                                                for n, h in enumerate(hits, start=1)] == [True] * len(hits)
        code, out, _ = run(capsys, "search", "--json", query, "--limit", "20")
        found = json.loads(out)
        assert [(p["doc_id"], p["start"], p["match"], p["relevance"]) for p in found["passages"]] == [
            (h.doc_id, h.start, h.match, h.relevance) for h in hits]
    code, out, _ = run(capsys, "search", "passport renewal fees")
    assert code == 0 and texts().no_passages_match in out and shown_matches(out) == []
    code, _, err = run(capsys, "search", "   ")
    assert code == 1 and err.startswith("qa-bot: ")


def _shape(value: object) -> object:
    """The JSON's shape: keys and the types of the leaves (lists by their first item)."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(value[0])] if value else []
    return type(value).__name__


ANSWER_SHAPE = {
    "status": "str",
    "quotes": [{"text": "str", "doc_id": "str", "title": "str", "source": "str", "start": "int", "end": "int",
                "score": "float", "highlight": {"text": "str", "start": "int", "end": "int"},
                "publisher": "str", "review": "str", "retrieved": "str"}],
    "notices": [{"kind": "str", "text": "str"}],
    "choices": [],
    "suggestions": [],
    "disclaimer": "str",
}


def test_ask_json_has_a_fixed_shape_each_notice_with_its_kind(
    env: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = ["What is cerebellar atrophy?", "I can't breathe and my chest hurts", "How do I renew my passport?"]
    code, out, _ = run(capsys, "ask", "--json", *questions)
    answered, emergency, refused = (json.loads(line) for line in out.splitlines())
    assert code == 0 and _shape(answered) == ANSWER_SHAPE
    assert list(answered) == list(ANSWER_SHAPE) and list(answered["quotes"][0]) == list(ANSWER_SHAPE["quotes"][0])
    assert answered["notices"] == [{"kind": "unreviewed", "text": texts().unreviewed_source}]
    assert emergency["notices"][0] == {"kind": "emergency", "text": texts().emergency}
    assert refused["notices"] == [{"kind": "no_match", "text": texts().no_match}] and refused["quotes"] == []
    assert refused["status"] == "no_match" and len(refused["suggestions"]) == 5 and refused["choices"] == []


def test_ask_text_shows_quote_source_and_disclaimer(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "ask", "How is cerebellar atrophy diagnosed?")
    assert code == 0
    assert "[1] Cerebro cerebellar volume loss" in out and "Source: " in out
    assert "> Diagnosing cerebro cerebellar volume loss typically involves" in out
    assert f"Disclaimer: {texts().disclaimer}" in out


def test_ask_takes_a_subject_line(env: Settings, bot: QABot, capsys: pytest.CaptureFixture[str]) -> None:
    message, subject = "My father was told this last week. How is it treated?", "cerebellar volume loss"
    code, out, _ = run(capsys, "ask", "--json", "--subject", subject, message)
    assert code == 0 and json.loads(out) == bot.ask(message, subject=subject).to_dict()
    code, _, err = run(capsys, "ask", "--subject", "x" * 201, message)
    assert code == 1 and "subject line is 201 characters long" in err


def test_a_bad_question_goes_to_stderr_with_a_non_zero_exit(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "ask", "--json", "What is cerebellar atrophy?", "   ")
    assert code == 1
    assert len(out.splitlines()) == 1
    assert "question 2: Please type a question" in err


def test_ask_without_an_index_says_how_to_build_it(
    isolated_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--index", str(tmp_path / "none"), "ask", "anything")
    assert (code, out) == (1, "")
    assert "qa-bot build" in err


def test_build_is_a_no_op_when_the_index_is_current(env: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "build")
    assert code == 0 and "up to date" in out


def test_the_installed_command_answers_offline(env: Settings) -> None:
    """The real console script in a fresh process, as a user runs it."""
    command = Path(sys.executable).with_name("qa-bot")
    result = subprocess.run(
        [str(command), "ask", "--json", *QUESTIONS],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    statuses = [json.loads(line)["status"] for line in result.stdout.splitlines()]
    assert statuses == ["answered", "no_match"]
