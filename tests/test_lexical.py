"""The one tokenizer makes exactly the terms bm25s makes for the index; scores equal bm25s's."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_bot.errors import IndexNotBuilt
from qa_bot.lexical import _MANY_TERMS, STOP_WORDS, TOKEN_PATTERN, LexicalIndex, stemmer, terms
from qa_bot.variant_names import name_words

SAMPLE = Path(__file__).resolve().parent / "data"


def bm25s_terms(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(
        texts, stopwords=sorted(STOP_WORDS), stemmer=stemmer(), token_pattern=TOKEN_PATTERN, return_ids=False,
        show_progress=False,
    )


def test_real_documents_and_questions_tokenize_as_bm25s_does() -> None:
    texts = [json.loads(line)["text"] for line in (SAMPLE / "medquad_docs.jsonl").read_text().splitlines()]
    texts += [json.loads(line)["question"] for line in (SAMPLE / "medquad_questions.jsonl").read_text().splitlines()]
    assert [terms(t) for t in texts] == bm25s_terms(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), min_size=1, max_size=5))
def test_any_text_tokenizes_as_bm25s_does(texts: list[str]) -> None:
    assert [terms(t) for t in texts] == bm25s_terms(texts)


def test_scores_rank_the_passage_that_has_the_rare_term_first() -> None:
    index = LexicalIndex.build(["Ataxia affects balance.", "Balance and walking.", "Walking helps."])
    scores = index.scores("What is ataxia?")
    assert scores.argmax() == 0 and scores[1] == scores[2] == 0


def test_scores_read_from_saved_arrays_equal_bm25s(tmp_path: Path) -> None:
    texts = [json.loads(line)["text"] for line in (SAMPLE / "medquad_docs.jsonl").read_text().splitlines()]
    LexicalIndex.build(texts).save(tmp_path)
    loaded = LexicalIndex.load(tmp_path)
    reference = bm25s.BM25()
    reference.index(bm25s.tokenize(
        texts, stopwords=sorted(STOP_WORDS), stemmer=stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False
    ))
    for question in ("What are the symptoms of ataxia?", "genes related to hearing loss", "zebra"):
        query = [t for t in terms(question) if t in reference.vocab_dict]
        expected = reference.get_scores(query) if query else np.zeros(len(texts))
        np.testing.assert_allclose(loaded.scores(question), expected, rtol=1e-6)


def full_sort_top(index: LexicalIndex, query: str, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The top `count` by sorting every passage's score: best first, ties to the lowest row, positive only."""
    scores = index.scores(query)
    order = np.lexsort((np.arange(len(scores)), -scores))
    order = order[scores[order] > 0][:count]
    return order, scores[order]


WORDS = ["ataxia", "balance", "gait", "tremor", "gene", "symptom", "cerebellum", "walking", "speech", "eye"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12), min_size=1, max_size=120),
    st.lists(st.sampled_from([*WORDS, "zebra"]), min_size=1, max_size=6),
    st.integers(min_value=1, max_value=60),
)
def test_top_equals_sorting_every_score(passages: list[list[str]], query: list[str], count: int) -> None:
    # Few distinct words, many passages: ties at the cut, repeated query terms, terms in most passages.
    index = LexicalIndex.build([" ".join(words) for words in passages])
    question = " ".join(query)
    rows, scores = index.top(question, count)
    expected_rows, expected_scores = full_sort_top(index, question, count)
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(scores, expected_scores)
    probe = np.arange(len(passages))[::3]
    scores, coverage = index.at_rows(question, probe)
    np.testing.assert_array_equal(scores, index.scores(question)[probe])
    np.testing.assert_allclose(coverage, coverage_by_hand(passages, query, probe), atol=1e-6)
    np.testing.assert_array_equal(index.coverage(question, probe), coverage)
    hits = index.hits(question, count)
    np.testing.assert_array_equal(hits.rows, rows)
    for found, expected in zip(hits.at(probe), (scores, coverage), strict=True):
        np.testing.assert_array_equal(found, expected)


def coverage_by_hand(passages: list[list[str]], query: list[str], rows: np.ndarray) -> np.ndarray:
    """Each row's IDF-weighted share of the query's distinct terms, counted from the passages' terms."""
    held = [set(terms(" ".join(words))) for words in passages]
    size = len(passages)
    weight = {}
    for term in set(terms(" ".join(query))):
        frequency = sum(term in h for h in held)
        weight[term] = np.log(1 + (size - frequency + 0.5) / (frequency + 0.5)) if frequency else np.log(
            1 + (size - 0.5) / 1.5)
    total = sum(weight.values())
    return np.array([sum(w for t, w in weight.items() if t in held[r]) / total for r in rows])


def test_top_skips_passages_yet_equals_sorting_on_a_large_index(tmp_path: Path) -> None:
    # 40,000 passages, the rare term in 60 of them: the pruned search, not the dense one, answers.
    rng = np.random.default_rng(3)
    common = ["symptom", "disease", "cause", "treatment", "gene"]
    texts = [" ".join(rng.choice(common, size=int(rng.integers(3, 30)))) + (" ataxia" * (i % 3 + 1) if i % 667 == 0
             else "") for i in range(40_000)]
    LexicalIndex.build(texts).save(tmp_path)
    index = LexicalIndex.load(tmp_path)
    for question in ("What are the symptoms of ataxia?", "ataxia gene gene", "disease cause", "zebra"):
        rows, scores = index.top(question, 50)
        expected_rows, expected_scores = full_sort_top(index, question, 50)
        np.testing.assert_array_equal(rows, expected_rows)
        np.testing.assert_array_equal(scores, expected_scores)


def test_a_long_message_scored_at_once_equals_sorting_every_score() -> None:
    # A message of many terms takes the dense path straight away (`_MANY_TERMS`): the same top as sorting,
    # and the same scores and coverage at any rows from that scoring as from reading the postings at them.
    texts = [json.loads(line)["text"] for line in (SAMPLE / "medquad_docs.jsonl").read_text().splitlines()]
    index = LexicalIndex.build(texts)
    message = ("My mother is 78 and for two years her walking has been unsteady, she sways and her hands shake "
               "when she holds a cup. The doctor said the MRI shows the cerebellum is smaller. Is it hereditary, "
               "and what treatment or therapy could help her balance and speech?")
    assert len(index._query_terms(message)) >= _MANY_TERMS
    for count in (1, 5, 50):
        rows, scores = index.top(message, count)
        expected_rows, expected_scores = full_sort_top(index, message, count)
        np.testing.assert_array_equal(rows, expected_rows)
        np.testing.assert_array_equal(scores, expected_scores)
    probe = np.arange(0, index.size, 7)
    for found, expected in zip(index.hits(message, 5).at(probe), index.at_rows(message, probe), strict=True):
        np.testing.assert_array_equal(found, expected)


def test_an_index_saved_without_term_bounds_still_searches_the_same(tmp_path: Path) -> None:
    texts = [json.loads(line)["text"] for line in (SAMPLE / "medquad_docs.jsonl").read_text().splitlines()]
    LexicalIndex.build(texts).save(tmp_path)
    with_bounds = LexicalIndex.load(tmp_path)
    (tmp_path / "term_max.npy").unlink()  # as saved before the bounds were
    without = LexicalIndex.load(tmp_path)
    for question in ("What are the symptoms of ataxia?", "genes related to hearing loss", "zebra"):
        for found, expected in zip(without.top(question, 5), with_bounds.top(question, 5), strict=True):
            np.testing.assert_array_equal(found, expected)
    LexicalIndex.build(texts).save(tmp_path)
    maxima = np.load(tmp_path / "term_max.npy")
    for word in ("ataxia", "hearing", "genes"):
        assert maxima[with_bounds._vocab[terms(word)[0]]] == with_bounds.scores(word).max()


def test_term_bounds_that_do_not_fit_the_index_ask_for_a_rebuild(tmp_path: Path) -> None:
    LexicalIndex.build(["Ataxia affects balance.", "Balance and walking."]).save(tmp_path)
    np.save(tmp_path / "term_max.npy", np.zeros(1, dtype=np.float32))
    with pytest.raises(IndexNotBuilt, match="qa-bot build"):
        LexicalIndex.load(tmp_path)


def test_names_are_compared_without_their_latin_endings() -> None:
    # A question on the "cerebellum" names "Cerebellar degeneration"; the cerebrum's words stay apart.
    assert name_words("Cerebellar degeneration") & name_words("can old age shrink the cerebellum")
    assert name_words("Lichen sclerosus") & name_words("what is lichen sclerosis")
    assert not name_words("Cerebral palsy") & name_words("cerebellar ataxia")
    assert name_words("ataxia") == frozenset(terms("ataxia"))  # short words are left as they are
