"""Answers: verbatim quotes with citations, a plain no-match, and the disclaimer every time."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa_bot import InvalidQuery, Notice, QABot, VerbatimViolation
from qa_bot.answer import verify_verbatim
from qa_bot.texts import texts

from .conftest import SEED_ID


def test_what_is_cerebellar_atrophy_is_answered_from_the_seed(bot: QABot) -> None:
    answer = bot.ask("What is cerebellar atrophy?")
    assert answer.status == "answered"
    assert 1 <= len(answer.quotes) <= 3
    first = answer.quotes[0]
    assert first.doc_id == SEED_ID and first.title == "Cerebro cerebellar volume loss"
    assert "also known as cerebellar atrophy" in first.text
    assert "also known as cerebellar atrophy" in first.highlight.text
    assert answer.disclaimer == texts().disclaimer
    assert answer.notices == (Notice("unreviewed", texts().unreviewed_source),)


def test_symptoms_question_quotes_the_symptoms_paragraph_first(bot: QABot) -> None:
    first = bot.ask("What are the symptoms of cerebellar atrophy?").quotes[0]
    assert first.text.startswith("The symptoms of cerebro cerebellar volume loss")
    assert "slurred speech" in first.text
    assert "symptoms" in first.highlight.text


@pytest.mark.parametrize(
    "question", ["How do I renew my passport?", "What is the capital of France?", "Best pizza dough recipe"]
)
def test_unrelated_questions_get_a_plain_no_match(bot: QABot, question: str) -> None:
    answer = bot.ask(question)
    assert (answer.status, answer.quotes, answer.choices) == ("no_match", (), ())
    assert answer.notices == (Notice("no_match", texts().no_match),) and answer.disclaimer == texts().disclaimer
    assert answer.suggestions[0] == "What is Cerebro cerebellar volume loss?"  # questions it can answer


def test_json_form_has_exactly_the_public_fields(bot: QABot) -> None:
    data = bot.ask("How is cerebellar atrophy diagnosed?").to_dict()
    assert list(data) == ["status", "quotes", "notices", "choices", "suggestions", "disclaimer"]
    assert isinstance(data["disclaimer"], str)
    assert list(data["quotes"][0]) == [
        "text", "doc_id", "title", "source", "start", "end", "score", "highlight", "publisher", "review", "retrieved"
    ]
    assert (data["quotes"][0]["review"], data["quotes"][0]["publisher"]) == ("unreviewed", "")  # the seed
    assert list(data["quotes"][0]["highlight"]) == ["text", "start", "end"]


def test_a_tampered_quote_is_caught_before_anyone_sees_it(bot: QABot) -> None:
    answer = bot.ask("What is cerebellar atrophy?")
    forged = replace(answer.quotes[0], text=answer.quotes[0].text.replace("decrease", "increase"))
    with pytest.raises(VerbatimViolation):
        verify_verbatim(replace(answer, quotes=(forged,)), bot.stored.documents)
    shifted = replace(answer.quotes[0], start=answer.quotes[0].start + 1)
    with pytest.raises(VerbatimViolation):
        verify_verbatim(replace(answer, quotes=(shifted,)), bot.stored.documents)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "type a question"),
        ("   \n\t ", "type a question"),
        ("x" * 5001, "5,001 characters long; please keep it under 5,000"),
        ("what\x07 is this", "control"),
        (42, "must be text"),
    ],
)
def test_bad_questions_get_a_clear_error(bot: QABot, question: object, message: str) -> None:
    with pytest.raises(InvalidQuery, match=message):
        bot.ask(question)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    question=st.one_of(
        st.text(min_size=1, max_size=200),
        st.lists(
            st.sampled_from(
                [
                    "cerebellar",
                    "atrophy",
                    "balance",
                    "speech",
                    "tremor",
                    "cure",
                    "MRI",
                    "what",
                    "why",
                    "how",
                    "is",
                    "the",
                    "of",
                    "a",
                ]
            ),
            min_size=1,
            max_size=12,
        ).map(" ".join),
    )
)
def test_any_question_gets_verbatim_quotes_and_the_disclaimer(bot: QABot, question: str) -> None:
    try:
        answer = bot.ask(question)
    except InvalidQuery:
        return
    assert answer.disclaimer == texts().disclaimer
    assert answer.status in ("answered", "no_match")
    assert (answer.status == "answered") == bool(answer.quotes) and len(answer.quotes) <= 3
    for quote in answer.quotes:
        body = bot.stored.documents[quote.doc_id].body
        assert body[quote.start : quote.end] == quote.text
        assert body[quote.highlight.start : quote.highlight.end] == quote.highlight.text
        assert quote.start <= quote.highlight.start < quote.highlight.end <= quote.end
