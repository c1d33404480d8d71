"""Feedback storage: append-only JSONL with exactly the documented fields, and `qa-bot feedback`."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from qa_bot import Settings
from qa_bot.cli import main
from qa_bot.errors import InvalidFeedback
from qa_bot.feedback import FEEDBACK_FILE, QuotedPassage, read_feedback, record

QUOTES = [QuotedPassage("cerebellar-volume-loss", 0, 370), QuotedPassage("cerebellar-volume-loss", 371, 590)]


def test_a_rating_is_appended_with_exactly_the_documented_fields(tmp_path: Path) -> None:
    first = record(tmp_path, "  What is cerebellar atrophy? ", "up", QUOTES, index_version="v1")
    record(tmp_path, "Is there a cure?", "down", [], comment=" Too long.\nSecond line ", index_version="v1")
    lines = (tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    stored = json.loads(lines[0])
    assert set(stored) == {"when", "question", "quotes", "rating", "comment", "index_version"}
    assert stored["question"] == "What is cerebellar atrophy?"
    assert stored["quotes"] == [
        {"doc_id": "cerebellar-volume-loss", "start": 0, "end": 370},
        {"doc_id": "cerebellar-volume-loss", "start": 371, "end": 590},
    ]
    assert (stored["rating"], stored["comment"], stored["when"]) == ("up", "", first.when)
    entries = read_feedback(tmp_path)
    assert entries[0] == first
    assert (entries[1].rating, entries[1].comment, entries[1].quotes) == ("down", "Too long.\nSecond line", ())


def test_personal_data_typed_into_feedback_is_masked(tmp_path: Path) -> None:
    entry = record(tmp_path, "I am ann@example.org, call 0612345678: is ataxia inherited?", "down",
                   comment="Reach me at +44 20 7946 0958 or ann@example.org")
    stored = (tmp_path / FEEDBACK_FILE).read_text(encoding="utf-8")
    assert "ann@example.org" not in stored and "0612345678" not in stored and "7946" not in stored
    assert entry.question.endswith("is ataxia inherited?") and "[email]" in entry.question


def test_no_feedback_yet_is_an_empty_list(tmp_path: Path) -> None:
    assert read_feedback(tmp_path / "missing") == []


@pytest.mark.parametrize(
    ("question", "rating", "quotes", "comment", "message"),
    [
        ("", "up", [], "", "needs the question"),
        ("   ", "up", [], "", "needs the question"),
        ("Q?", "meh", [], "", "rating must be one of up, down"),
        ("Q?", "up", [], "x" * 2001, "comment is 2,001 characters"),
        ("Q" * 5001, "up", [], "", "question is 5,001 characters"),
        ("Q?", "up", [QuotedPassage("d", 5, 5)], "", "0 <= start < end"),
        ("Q?", "up", [QuotedPassage("", 0, 5)], "", "needs a document id"),
        ("Q?", "up", [QuotedPassage("d", 0, 1)] * 11, "", "at most 10"),
        ("Q?", "up", [], "bad\x00byte", "control or unprintable"),
        ("Q?", "up", [], 42, "comment must be text"),
    ],
)
def test_invalid_feedback_is_refused_and_nothing_is_written(
    tmp_path: Path, question: str, rating: str, quotes: list, comment: object, message: str
) -> None:
    with pytest.raises(InvalidFeedback, match=message):
        record(tmp_path, question, rating, quotes, comment)
    assert not (tmp_path / FEEDBACK_FILE).exists()


def test_concurrent_ratings_each_land_on_their_own_line(tmp_path: Path) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: record(tmp_path, f"Question {n}?", "up", QUOTES * 5), range(200)))
    questions = sorted(e.question for e in read_feedback(tmp_path))
    assert questions == sorted(f"Question {n}?" for n in range(200))


def test_the_folder_comes_from_the_environment(isolated_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolated_env.setenv("QA_BOT_FEEDBACK", str(tmp_path / "ratings"))
    assert Settings.from_env().feedback_dir == tmp_path / "ratings"


def test_cli_lists_feedback_readably_and_as_json(
    isolated_env: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    isolated_env.setenv("QA_BOT_FEEDBACK", str(tmp_path))
    up = record(tmp_path, "What is cerebellar atrophy?", "up", QUOTES[:1], index_version="v7")
    down = record(tmp_path, "Is there a cure?", "down", [], comment="Not what I asked.")
    assert main(["feedback"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{up.when}\tup\t'What is cerebellar atrophy?'\tcerebellar-volume-loss[0:370]\tv7",
        f"{down.when}\tdown\t'Is there a cure?'\tno quotes\t\t'Not what I asked.'",
    ]
    assert main(["feedback", "--rating", "down", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["comment"] == "Not what I asked."
