"""What patients type is kept only masked, crisis text never, privately and for a limited time.

Each statement of the README's privacy paragraph has a test here (or in test_feedback.py and
test_query_log.py for the exact fields kept).
"""

from __future__ import annotations

import json
import logging
import os
import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qa_bot import Answer, QABot, Settings
from qa_bot.cli import main
from qa_bot.feedback import FEEDBACK_FILE, QuotedPassage, read_feedback, record
from qa_bot.jsonl import read_records
from qa_bot.personal_data import mask_personal_data
from qa_bot.query_log import QueryLog
from qa_bot.safety import check
from qa_web.chat_feedback import rate, rated_answer

CRISIS = "I want to end my life, my name is Mary Jones, 3 Oak Lane"


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("my name is Mary Jones, what is ataxia?", "my name is [name], what is ataxia?"),
        ("my name is mary and i have ataxia", "my name is [name] and i have ataxia"),
        ("I am called Jo.", "I am called [name]."),
        ("I'm called Ann Lee and I am 40", "I'm called [name] and I am 40"),
        ("This is Mary Jones calling about my dad", "This is [name] calling about my dad"),
        ("this is serious, is it a stroke?", "this is serious, is it a stroke?"),
        ("This is a question about ataxia", "This is a question about ataxia"),
        ("I live at 3 Oak Lane", "I live at [address]"),
        ("send it to 12 Baker Street, Apt 4 in London", "send it to [address] in London"),
        ("we are at 221b baker st.", "we are at [address]"),
        ("4 Elm Close", "[address]"),
        ("dizzy for 2 weeks in a row", "dizzy for 2 weeks in a row"),
        ("I walk 3 miles a day", "I walk 3 miles a day"),
        ("mary dot jones at gmail dot com", "[email]"),
        ("write to mary [at] example [dot] org please", "write to [email] please"),
        ("mary (at) example.org", "[email]"),
        ("I woke at 3.30 with pain at rest.", "I woke at 3.30 with pain at rest."),
    ],
)
def test_names_addresses_and_written_out_emails_are_masked(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_feedback_masks_the_question_and_comment_like_the_question_log(tmp_path: Path) -> None:
    question = "my name is Ann Lee, 12 Baker Street: is ataxia inherited?"
    entry = record(tmp_path, question, "down", comment="mail ann dot lee at example dot org")
    assert entry.question == mask_personal_data(question) == "my name is [name], [address]: is ataxia inherited?"
    assert entry.comment == "mail [email]"
    raw = (tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8")
    assert "Ann" not in raw and "Baker" not in raw and "lee" not in raw


def test_feedback_never_keeps_the_text_of_a_crisis(tmp_path: Path) -> None:
    assert check(CRISIS).urgent
    entry = record(tmp_path, CRISIS, "down", comment="I will kill myself tonight")
    assert (entry.question, entry.comment) == (None, None)
    raw = (tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8")
    assert "life" not in raw and "Mary" not in raw and "Oak" not in raw and "kill" not in raw
    assert read_feedback(tmp_path)[0].question is None


def test_chat_feedback_on_a_crisis_answer_keeps_no_question(bot: QABot, tmp_path: Path) -> None:
    rating_bot = QABot(replace(bot.settings, feedback_dir=tmp_path), bot.encoder, bot.stored)
    answer = rating_bot.ask(CRISIS)
    assert any(n.urgent for n in answer.notices)
    _, thanks = rate(rating_bot, "down", rated_answer(CRISIS, answer), "")
    assert thanks.startswith("Thank you")
    (entry,) = read_feedback(tmp_path)
    assert entry.question is None and entry.index_version == rating_bot.stored.version
    # The bot's verdict is used even where a reworded question would pass the check again.
    last = rated_answer("Not helpful", answer)
    rate(rating_bot, "down", last, "")
    assert read_feedback(tmp_path)[1].question is None


def test_an_emergency_found_by_meaning_is_never_kept(bot: QABot, tmp_path: Path) -> None:
    question = "my brother cut his leg on the chainsaw and it keeps coming out, my name is Mary Jones"
    assert not check(question).urgent  # only the examples nearest in meaning escalate it
    logging_bot = QABot(replace(bot.settings, query_log=str(tmp_path / "q.jsonl")), bot.encoder, bot.stored)
    assert any(n.urgent for n in logging_bot.ask(question).notices)
    (entry,) = QueryLog(tmp_path / "q.jsonl", 30).records()
    assert entry["question"] is None and entry["flags"] == ["close in meaning"]


def test_both_files_are_private_even_under_a_permissive_umask(tmp_path: Path, permissive_umask: None) -> None:
    record(tmp_path / "ratings", "What is ataxia?", "up")
    log = QueryLog(tmp_path / "logs" / "q.jsonl", 30)
    log.record("What is ataxia?", Answer(status="no_match"), check(""))
    assert mode(tmp_path / "ratings" / FEEDBACK_FILE) == 0o600 and mode(log.path) == 0o600
    assert mode(tmp_path / "ratings") == 0o700 and mode(tmp_path / "logs") == 0o700


def test_a_readable_feedback_file_from_before_becomes_private(tmp_path: Path, permissive_umask: None) -> None:
    (tmp_path / FEEDBACK_FILE).write_text("")
    (tmp_path / FEEDBACK_FILE).chmod(0o644)
    record(tmp_path, "What is ataxia?", "up")
    assert mode(tmp_path / FEEDBACK_FILE) == 0o600


def old_rating(days_ago: int) -> str:
    when = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat(timespec="seconds")
    entry = {"when": when, "question": f"asked {days_ago} days ago", "quotes": [], "rating": "up",
             "comment": "", "index_version": "v1"}
    return json.dumps(entry) + "\n"


def test_ratings_past_the_retention_are_dropped_on_the_next_rating(tmp_path: Path) -> None:
    (tmp_path / FEEDBACK_FILE).write_text(old_rating(100) + old_rating(91) + old_rating(89) + old_rating(0))
    record(tmp_path, "What is ataxia?", "up")  # default retention: 90 days
    assert [e.question for e in read_feedback(tmp_path)] == ["asked 89 days ago", "asked 0 days ago", "What is ataxia?"]


def test_retention_settings_come_from_the_environment(isolated_env: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().feedback_retention_days == 90
    isolated_env.setenv("QA_BOT_FEEDBACK_RETENTION_DAYS", "14")
    assert Settings.from_env().feedback_retention_days == 14


def test_qa_bot_prune_deletes_old_ratings_and_logged_questions(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / FEEDBACK_FILE).write_text(old_rating(20) + old_rating(3))
    log_path = tmp_path / "q.jsonl"
    old_day = (datetime.now(UTC) - timedelta(days=40)).date().isoformat()
    log_path.write_text(json.dumps({"day": old_day, "question": "old"}) + "\n")
    isolated_env.setenv("QA_BOT_FEEDBACK", str(tmp_path))
    isolated_env.setenv("QA_BOT_FEEDBACK_RETENTION_DAYS", "7")
    isolated_env.setenv("QA_BOT_QUERY_LOG", str(log_path))
    assert main(["prune"]) == 0
    assert capsys.readouterr().out == "Deleted 1 ratings over 7 days old, 1 logged questions over 30 days old.\n"
    assert [e.question for e in read_feedback(tmp_path)] == ["asked 3 days ago"] and read_records(log_path) == []


def test_a_torn_feedback_line_is_skipped_with_a_warning(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    isolated_env.setenv("QA_BOT_FEEDBACK", str(tmp_path))
    first = record(tmp_path, "What is ataxia?", "up")
    with (tmp_path / FEEDBACK_FILE).open("a") as handle:
        handle.write('{"when": "2026-11-2')  # a crash or a full disk tore the line
    with caplog.at_level(logging.WARNING):
        second = record(tmp_path, "Is there a cure?", "down")
        lines = (tmp_path / FEEDBACK_FILE).read_text().splitlines()
        assert main(["feedback"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:3] for line in out] == [
        [first.when, "up", "'What is ataxia?'"], [second.when, "down", "'Is there a cure?'"]
    ]
    assert len(lines) == 3 and "skipped" in caplog.text and "line 2 " in caplog.text


def test_feedback_lists_a_crisis_rating_without_its_text(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setenv("QA_BOT_FEEDBACK", str(tmp_path))
    record(tmp_path, CRISIS, "down", [QuotedPassage("d", 0, 5)])
    assert main(["feedback"]) == 0
    assert "(an emergency or crisis: not kept)" in capsys.readouterr().out
