"""The question log: off by default, masked, no IP address, emergencies by flag only, pruned by age."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from qa_bot import Answer, Notice, QABot, QABotError, Settings
from qa_bot.personal_data import mask_personal_data
from qa_bot.query_log import QueryLog, open_query_log
from qa_bot.safety import check
from qa_bot.texts import texts

RECORD_KEYS = {"day", "texts_version", "status", "flags", "question", "quotes"}


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("write to jane.doe+ataxia@example.co.uk please", "write to [email] please"),
        ("call me on +44 7700 900123 tonight", "call me on [phone] tonight"),
        ("my number is (555) 123-4567", "my number is [phone]"),
        ("ring 07700900123", "ring [phone]"),
        ("NHS number 943 476 5919", "NHS number [phone]"),
        ("patient id 12345678", "patient id [number]"),
        ("born 24.11.1961", "born [phone]"),
        ("my zip is 90210", "my zip is [number]"),
        ("from 192.168.1.20", "from [ip]"),
        ("see https://example.org/me?id=7", "see [link]"),
        ("I took 30 pills of 500 mg in 2024", "I took 30 pills of 500 mg in 2024"),
        ("What is cerebellar atrophy?", "What is cerebellar atrophy?"),
    ],
)
def test_personal_data_is_masked(raw: str, masked: str) -> None:
    assert mask_personal_data(raw) == masked


def test_logging_is_off_unless_a_file_is_given(isolated_env: pytest.MonkeyPatch) -> None:
    isolated_env.delenv("QA_BOT_QUERY_LOG", raising=False)
    assert Settings.from_env().query_log is None
    assert open_query_log(Settings.from_env()) is None


def test_log_settings_come_from_the_environment(isolated_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolated_env.setenv("QA_BOT_QUERY_LOG", str(tmp_path / "q.jsonl"))
    isolated_env.setenv("QA_BOT_QUERY_LOG_RETENTION_DAYS", "7")
    settings = Settings.from_env()
    assert settings.query_log == tmp_path / "q.jsonl" and settings.query_log_retention_days == 7
    log = open_query_log(settings)
    assert log is not None and log.retention_days == 7


@pytest.mark.parametrize("days", ["0", "-3", "a week"])
def test_bad_retention_is_refused_with_a_clear_message(isolated_env: pytest.MonkeyPatch, days: str) -> None:
    isolated_env.setenv("QA_BOT_QUERY_LOG_RETENTION_DAYS", days)
    with pytest.raises(QABotError, match="whole number of days"):
        Settings.from_env()


class Clock:
    """A settable UTC clock."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_records_hold_no_personal_data_and_no_ip(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "logs" / "q.jsonl", 30, Clock())
    question = "I'm jane@example.org, phone 0161 496 0000: do I have ataxia?"
    log.record(question, Answer(status="no_match", notices=(Notice("no_match", texts().no_match),)), check(question))
    (entry,) = log.records()
    assert set(entry) == RECORD_KEYS
    assert entry == {
        "day": "2026-11-24",
        "texts_version": texts().version,
        "status": "no_match",
        "flags": ["personal advice"],
        "question": "I'm [email], phone [phone]: do I have ataxia?",
        "quotes": [],
    }
    raw = log.path.read_text(encoding="utf-8")
    assert "jane" not in raw and "0161" not in raw and "ip" not in json.loads(raw)
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600


def test_emergencies_are_logged_by_flag_only(tmp_path: Path) -> None:
    log = QueryLog(tmp_path / "q.jsonl", 30, Clock())
    question = "I want to kill myself"
    log.record(question, Answer(status="no_match"), check(question))
    (entry,) = log.records()
    assert entry["question"] is None and "suicide or self-harm" in entry["flags"]
    assert "kill" not in log.path.read_text(encoding="utf-8")


def test_records_older_than_the_retention_period_are_deleted(tmp_path: Path) -> None:
    clock = Clock()
    log = QueryLog(tmp_path / "q.jsonl", 3, clock)
    for day in range(5):
        log.record(f"question {day}", Answer(status="no_match"), check(""))
        clock.now += timedelta(days=1)
    # Writing on a new day pruned the log first: only the last 3 days are kept.
    assert [r["day"] for r in log.records()] == ["2026-11-26", "2026-11-27", "2026-11-28"]
    clock.now += timedelta(days=10)
    assert log.prune() == 3 and log.records() == []


def test_a_log_that_cannot_be_written_never_breaks_an_answer(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    log = QueryLog(blocker / "q.jsonl", 30, Clock())
    log.record("What is ataxia?", Answer(status="no_match"), check(""))  # logged as a warning, not raised
    assert log.records() == []


def test_the_bot_logs_each_answered_question_when_asked_to(bot: QABot, tmp_path: Path) -> None:
    settings = replace(bot.settings, query_log=tmp_path / "q.jsonl", query_log_retention_days=30)
    logging_bot = QABot(settings, bot.encoder, bot.stored)
    answered = logging_bot.ask("What is cerebellar atrophy? Mail me at a.b@example.com")
    logging_bot.ask("My chest hurts and I can't breathe")
    first, second = QueryLog(settings.query_log, 30).records()
    assert first["question"] == "What is cerebellar atrophy? Mail me at [email]"
    assert first["status"] == answered.status == "answered"
    assert first["quotes"] == [{"doc_id": q.doc_id, "score": q.score} for q in answered.quotes]
    assert second["question"] is None and second["flags"][:2] == ["chest pain", "trouble breathing"]


def test_the_default_bot_writes_no_log(bot: QABot) -> None:
    assert bot.settings.query_log is None and bot._query_log is None
