"""The abstention confidence of the final ranker, and the held-out splits it is fitted and measured on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa_bot.config import Settings
from qa_bot.documents import make_document
from qa_bot.embedding import Embedder
from qa_bot.eval_data import (
    Question,
    cached_index,
    document_groups,
    held_out_groups,
    held_out_ids,
    load_documents,
    split_for_abstention,
)
from qa_bot.ranking import CONFIDENCE_FEATURES, CONFIDENCE_WEIGHTS, Ranker, _margin, confidence
from qa_bot.retrieval import Retriever

DOCS = Path(__file__).resolve().parent / "data" / "medquad_docs.jsonl"


@pytest.fixture(scope="module")
def sample_retriever(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Retriever:
    stored = cached_index(load_documents(DOCS), tmp_path_factory.mktemp("eval"), embedder, Settings())
    return Retriever(stored, 50, Ranker(stored, embedder))


def test_margin_is_how_far_a_document_stands_above_every_other() -> None:
    groups = np.array([0, 0, 1, 2, 1])
    doc_best = np.array([0.8, 0.8, 0.6, 0.3, 0.6], dtype=np.float32)
    # The best document against the runner-up; the others against the best.
    np.testing.assert_allclose(_margin(groups, doc_best), [0.2, 0.2, -0.2, -0.5, -0.2], atol=1e-6)
    # Alone among the candidates, a document is measured against a cosine of 0.
    np.testing.assert_allclose(_margin(np.array([0, 0]), np.array([0.7, 0.7], dtype=np.float32)), [0.7, 0.7])


def test_confidence_rises_with_every_signal() -> None:
    assert CONFIDENCE_FEATURES == ("dense", "margin", "coverage", "doc_coverage")
    assert np.all(CONFIDENCE_WEIGHTS > 0)
    base = np.array([[0.6, 0.05, 0.5, 0.5]])
    for i in range(len(CONFIDENCE_FEATURES)):
        higher = base.copy()
        higher[0, i] += 0.1
        assert confidence(higher)[0] > confidence(base)[0]
    assert 0.0 < confidence(base)[0] < 1.0


def test_passage_scores_are_the_confidence_of_their_signals(sample_retriever: Retriever, embedder: Embedder) -> None:
    query = "What are the symptoms of Graves disease?"
    vector = embedder.encode([query])[0]
    found = sample_retriever.gather(query, vector)
    expected = confidence(sample_retriever.ranker.confidence_features(query, vector, found))
    by_row = dict(zip(found.rows.tolist(), expected.tolist(), strict=True))
    ranked = sample_retriever.ranker.rank(query, vector, found, 5)
    assert ranked and all(s.score == pytest.approx(by_row[s.row], abs=1e-6) for s in ranked)
    top_doc = sample_retriever.stored.manifest.chunks[ranked[0].row].doc_id
    assert "graves" in sample_retriever.stored.documents[top_doc].title.lower() and ranked[0].score > 0.9
    # Out of the documents' scope: far below the shipped threshold.
    query = "How do I reset my wifi router?"
    vector = embedder.encode([query])[0]
    assert sample_retriever.ranker.rank(query, vector, sample_retriever.gather(query, vector), 1)[0].score < 0.1


def _doc(doc_id: str, title: str) -> object:
    meta = {"id": doc_id, "title": title, "source": "s", "reviewed_by": "r", "reviewed_on": "2026-01-01"}
    return make_document({**meta, "license": "CC0"}, "Some text.")


def test_groups_join_linked_documents_and_title_variants_only() -> None:
    documents = {
        "a": _doc("a", "Niemann-Pick disease"),
        "b": _doc("b", "Niemann-Pick disease type A"),
        "c": _doc("c", "Ataxia"),  # one content word: not a variant source
        "d": _doc("d", "Friedreich ataxia"),
        "e": _doc("e", "Friedreich's ataxia (NINDS)"),
        "f": _doc("f", "Graves disease"),
    }
    linked = Question("q", "?", ("d",), (), related_doc_ids=("e",))
    groups = document_groups(documents, [linked])
    assert groups == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "d", "f": "f"}
    # Whole groups are held out together.
    for percent in (0, 30, 60, 100):
        out = held_out_groups(groups, percent)
        assert all((d in out) == (groups[d] in out) for d in documents)
    assert held_out_groups(groups, 100) == frozenset(documents)


def test_held_out_splits_at_different_offsets_are_disjoint() -> None:
    documents = {f"doc{i}": None for i in range(2000)}
    first, second = held_out_ids(documents, 10), held_out_ids(documents, 10, offset=10)
    assert not first & second
    assert 150 < len(first) < 250 and 150 < len(second) < 250
    assert held_out_ids(documents, 20) == first | second


def test_a_group_held_out_leaves_no_question_half_answerable() -> None:
    documents = {d: _doc(d, t) for d, t in (("x", "Graves disease"), ("y", "Graves disease type 2"), ("z", "Gout"))}
    question = Question("q", "?", ("y",), ())
    groups = document_groups(documents, [question])
    held = frozenset(d for d in documents if groups[d] == groups["y"])
    assert held == {"x", "y"}
    answerable, unanswerable = split_for_abstention([question], held)
    assert (answerable, [q.qid for q in unanswerable]) == ([], ["q"])
