"""The part of a message that asks, read for the kind of information asked."""

from __future__ import annotations

import pytest

from qa_bot import QABot
from qa_bot.question_parts import asked_part, embedded_part, within


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("my MRI says mild cerebellar volume loss what does that mean", "what does that mean"),
        ("The report says my cerebellum is smaller. Is that serious?", "Is that serious?"),
        ("my mum is 78 and her scan showed shrinking, what is going on", "what is going on"),
        ("What are the symptoms of cerebellar atrophy ?", "What are the symptoms of cerebellar atrophy ?"),
        ("is it hereditary, will my kids get it", "is it hereditary, will my kids get it"),
        ("My dad was diagnosed last week.\nHow is it treated? Thank you", "How is it treated?"),
        ("Cerebellar atrophy", "Cerebellar atrophy"),
        ("It shrinks. It affects balance.", "It shrinks. It affects balance."),  # nothing asks: all of it
    ],
)
def test_the_asked_part_is_the_last_question_from_its_question_word(message: str, asked: str) -> None:
    assert asked_part(message) == asked


def test_a_story_about_a_scan_asking_what_it_means_gets_the_passage_that_says_what_it_is(bot: QABot) -> None:
    first = bot.ask("my MRI says mild cerebellar volume loss what does that mean").quotes[0]
    assert "also known as cerebellar atrophy" in first.text or first.text.startswith("In conclusion")


def test_only_the_asking_part_of_a_long_message_is_embedded() -> None:
    story = "My mother is 80 and lives alone since my father died two years ago in the spring. " * 3
    message = story + "What causes cerebellar atrophy?"
    assert embedded_part(message, 200) == within(message, 200) and "What causes cerebellar atrophy?" in embedded_part(
        message, 200)
    assert len(embedded_part(message, 200)) <= 200
    assert embedded_part(story.strip(), 200) == story.strip()  # asking nothing: a passage, searched whole
