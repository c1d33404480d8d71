"""A message's subject line and long messages (issue 15): the subject is read as the message's first
sentence, so a topic named only there is answered; messages up to 5,000 characters are taken."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.errors import InvalidQuery
from qa_bot.question_parts import within
from qa_bot.texts import texts

NAMED_ONLY_IN_SUBJECT = "My son was told he has this last year. Is it inherited?"


def test_a_topic_named_only_in_the_subject_line_is_answered_about(library_bot: QABot) -> None:
    alone = library_bot.ask(NAMED_ONLY_IN_SUBJECT)
    with_subject = library_bot.ask(NAMED_ONLY_IN_SUBJECT, subject="Friedreich ataxia")
    assert alone.status != "answered" or not any("Friedreich" in q.title for q in alone.quotes)
    assert with_subject.status == "answered"
    assert "Friedreich" in with_subject.quotes[0].title
    found = library_bot.search(NAMED_ONLY_IN_SUBJECT, 3, subject="Friedreich ataxia")
    assert found.hits and "Friedreich" in found.hits[0].title


def test_the_subject_is_the_first_sentence_of_the_message(bot: QABot) -> None:
    assert bot.with_subject("How is it treated?", "  cerebellar   atrophy ") == "cerebellar atrophy. How is it treated?"
    assert bot.with_subject("How is it treated?", "Atrophy?") == "Atrophy? How is it treated?"
    assert bot.with_subject("How is it treated?", "   ") == "How is it treated?"


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("x" * 201, texts().subject_too_long.format(length=201, limit=200)),
        ("a\x07b", texts().control_characters),
        (7, texts().not_text),
    ],
)
def test_a_subject_it_cannot_take_is_a_clear_error(bot: QABot, subject: object, message: str) -> None:
    with pytest.raises(InvalidQuery) as refused:
        bot.ask("How is it treated?", subject=subject)  # type: ignore[arg-type]
    assert str(refused.value) == message
    with pytest.raises(InvalidQuery):
        bot.search("How is it treated?", subject=subject)  # type: ignore[arg-type]


def test_an_emergency_in_the_subject_line_is_never_missed(bot: QABot) -> None:
    answer = bot.ask("What should I do?", subject="my husband can't breathe right now")
    assert answer.notices[0].kind == "emergency"


def test_a_message_of_5000_characters_is_answered_for_its_question_and_one_more_is_refused(library_bot: QABot) -> None:
    bot = library_bot
    story = "My mother is 84 and lives alone, and we visit her every weekend with the children. "
    question = " What are the symptoms of cerebellar atrophy?"
    message = (story * 80)[: bot.settings.max_query_chars - len(question)] + question
    assert len(message) == 5000 == bot.settings.max_query_chars
    answer = bot.ask(message)  # the question at its end, beyond what the model reads, is what is retrieved for
    assert answer.status == "answered" and "symptoms" in answer.quotes[0].text.lower()
    with pytest.raises(InvalidQuery, match="5,001 characters long; please keep it under 5,000"):
        bot.ask(message + "?")


def test_a_message_longer_than_the_model_reads_keeps_its_questions_and_what_fits() -> None:
    story = "We live far from the city. " * 10
    message = f"{story}Is it inherited? {story}How is it treated?"
    kept = within(message, 200)
    assert len(kept) <= 200 and kept.startswith("We live far") and kept.endswith("Is it inherited? How is it treated?")
    assert within(message, len(message)) == message
    assert within("x" * 300, 200) == "x" * 200  # one sentence too long: its start
