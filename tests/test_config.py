"""Settings set per deployment (relevance threshold, log format, shutdown grace), with a clear error for a bad value."""

from __future__ import annotations

from dataclasses import replace

import pytest

from qa_bot import QABot, Settings
from qa_bot.errors import QABotError


def test_the_threshold_comes_from_the_environment(isolated_env: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().min_relevance == Settings().min_relevance
    isolated_env.setenv("QA_BOT_MIN_RELEVANCE", " 0.68 ")
    assert Settings.from_env().min_relevance == 0.68


@pytest.mark.parametrize("value", ["high", "1.5", "-0.1", "nan"])
def test_a_bad_threshold_is_refused_with_what_to_do(isolated_env: pytest.MonkeyPatch, value: str) -> None:
    isolated_env.setenv("QA_BOT_MIN_RELEVANCE", value)
    with pytest.raises(QABotError, match="from 0 to 1.*qa-bot eval"):
        Settings.from_env()


def test_a_stricter_threshold_turns_a_loose_answer_into_no_match(bot: QABot) -> None:
    question = "What is cerebellar atrophy?"
    answer = bot.ask(question)
    assert answer.status == "answered"
    strict = QABot(replace(bot.settings, min_relevance=answer.quotes[0].score + 0.01), bot.encoder, bot.stored)
    refused = strict.ask(question)
    assert refused.status == "no_match" and refused.quotes == () and refused.disclaimer


def test_log_format_and_shutdown_grace_come_from_the_environment(isolated_env: pytest.MonkeyPatch) -> None:
    assert (Settings.from_env().log_format, Settings.from_env().shutdown_grace_s) == ("text", 30.0)
    isolated_env.setenv("QA_BOT_LOG_FORMAT", " JSON ")
    isolated_env.setenv("QA_BOT_SHUTDOWN_GRACE_S", "2.5")
    assert (Settings.from_env().log_format, Settings.from_env().shutdown_grace_s) == ("json", 2.5)


@pytest.mark.parametrize(("name", "value"), [("QA_BOT_LOG_FORMAT", "xml"), ("QA_BOT_SHUTDOWN_GRACE_S", "-1"),
                                             ("QA_BOT_SHUTDOWN_GRACE_S", "soon")])
def test_a_bad_log_format_or_grace_is_refused_with_what_to_do(
    isolated_env: pytest.MonkeyPatch, name: str, value: str
) -> None:
    isolated_env.setenv(name, value)
    with pytest.raises(QABotError, match=name):
        Settings.from_env()
