"""The held-out splits that abstention is fitted and measured on: documents, or whole groups of them."""

from __future__ import annotations

from qa_bot.documents import make_document
from qa_bot.eval_data import Question, document_groups, held_out_groups, held_out_ids, split_for_abstention


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
    linked = Question("q", "?", ("f",), (), related_doc_ids=("c",))  # a question joins any two documents
    groups = document_groups(documents, [linked])
    assert groups == {"a": "a", "b": "a", "c": "c", "d": "d", "e": "d", "f": "c"}
    assert document_groups(documents, [])["f"] == "f"
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
