"""The one tokenizer makes exactly the terms bm25s makes for the index; scores equal bm25s's."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_bot.lexical import STOP_WORDS, TOKEN_PATTERN, LexicalIndex, stemmer, terms

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
