"""The query-side tokenizer makes exactly the terms bm25s made for the index."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_bot.lexical import LexicalIndex, stemmer, tokenize

SAMPLE = Path(__file__).resolve().parent / "data"


def bm25s_terms(texts: list[str]) -> list[list[str]]:
    return bm25s.tokenize(texts, stopwords="en", stemmer=stemmer(), return_ids=False, show_progress=False)


def test_real_documents_and_questions_tokenize_as_bm25s_does() -> None:
    texts = [json.loads(line)["text"] for line in (SAMPLE / "medquad_docs.jsonl").read_text().splitlines()]
    texts += [json.loads(line)["question"] for line in (SAMPLE / "medquad_questions.jsonl").read_text().splitlines()]
    assert tokenize(texts) == bm25s_terms(texts)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(codec="utf-8"), max_size=60), min_size=1, max_size=5))
def test_any_text_tokenizes_as_bm25s_does(texts: list[str]) -> None:
    assert tokenize(texts) == bm25s_terms(texts)


def test_scores_rank_the_passage_that_has_the_rare_term_first() -> None:
    index = LexicalIndex.build(["Ataxia affects balance.", "Balance and walking.", "Walking helps."])
    scores = index.scores("What is ataxia?")
    assert scores.argmax() == 0 and scores[1] == scores[2] == 0
