"""Typos read as the corpus's own words (qa_bot/spelling.py), on a real BM25 index and the real model's vocabulary."""

from qa_bot import QABot
from qa_bot.config import DEFAULT_MODEL
from qa_bot.lexical import LexicalIndex
from qa_bot.spelling import corrected, corrected_word, model_words, one_slip_words

PASSAGES = [
    "Common symptoms include slurred speech and tremors.",
    "Symptoms may worsen as cerebellar atrophy progresses.",
    "Physical therapy helps balance.",
]


def test_one_slip_words_are_one_missing_extra_wrong_or_swapped_letter_away() -> None:
    near = one_slip_words("atropy")
    assert {"atrophy", "atopy", "atropt", "taropy"} <= near
    assert "atropy" not in near and "atrophies" not in near


def test_a_typo_becomes_the_documents_word_and_known_words_stay() -> None:
    lexical = LexicalIndex.build(PASSAGES)
    known = model_words(DEFAULT_MODEL)
    assert "illness" in known and "symptons" not in known
    assert corrected("Cerebellar atropy symptons?", lexical, known) == "Cerebellar atrophy symptoms?"
    # an English word the documents never use, a short word and a word they use are never changed
    assert corrected("another illness", lexical, known) == "another illness"
    assert corrected_word("gout", lexical, known) == "gout"
    assert corrected_word("tremors", lexical, known) == "tremors"
    # no word of the documents one slip away: left as typed
    assert corrected_word("zzqxvb", lexical, known) == "zzqxvb"


def test_without_a_vocabulary_only_the_documents_words_count() -> None:
    lexical = LexicalIndex.build(PASSAGES)
    assert corrected_word("illness", lexical, frozenset()) == "illness"  # nothing one slip away
    assert corrected_word("theraphy", lexical, frozenset()) == "therapy"


def test_the_bot_answers_a_misspelt_question_as_the_spelt_one(bot: QABot) -> None:
    typed = bot.ask("cerebellar atropy symptons")
    spelt = bot.ask("cerebellar atrophy symptoms")
    assert typed.status == "answered"
    assert [q.start for q in typed.quotes] == [q.start for q in spelt.quotes]
