"""The held-out splits that abstention is fitted and measured on: documents, or whole groups of them."""

from __future__ import annotations

import json
from pathlib import Path

from qa_bot.documents import make_document
from qa_eval.data import (
    Question,
    document_groups,
    held_out_groups,
    held_out_ids,
    load_namesakes,
    named_alike,
    split_for_abstention,
    title_variants,
)


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


def test_documents_named_alike_keep_a_question_answerable(tmp_path: Path) -> None:
    records = [
        {"id": "k1", "title": "Kawasaki disease", "synonyms": ["mucocutaneous lymph node syndrome"]},
        {"id": "k2", "title": "Kawasaki syndrome", "synonyms": ["Kawasaki Disease"]},
        {"id": "s3", "title": "Spinocerebellar ataxia 3", "synonyms": []},
        {"id": "s3b", "title": "spinocerebellar ataxia type 3", "synonyms": []},
        {"id": "s6", "title": "spinocerebellar ataxia type 6", "synonyms": []},
        {"id": "f1", "title": "Farber's disease", "synonyms": []},
        {"id": "f2", "title": "Farber lipogranulomatosis", "synonyms": ["Farber disease"]},
    ]
    docs = tmp_path / "docs.jsonl"
    docs.write_text("".join(json.dumps({**r, "text": "Text."}) + "\n" for r in records), encoding="utf-8")
    namesakes = load_namesakes(docs)
    assert namesakes == {
        "k1": {"k2"}, "k2": {"k1"}, "s3": {"s3b"}, "s3b": {"s3"}, "s6": set(), "f1": {"f2"}, "f2": {"f1"},
    }
    kawasaki = Question("q", "What is Kawasaki disease?", ("k1",), ())
    # Left out alone, its namesake still answers it: neither answerable nor unanswerable (dropped).
    assert split_for_abstention([kawasaki], frozenset({"k1"}), namesakes) == ([], [])
    assert [q.qid for q in split_for_abstention([kawasaki], frozenset({"k1"}))[1]] == ["q"]
    assert [q.qid for q in split_for_abstention([kawasaki], frozenset({"k1", "k2"}), namesakes)[1]] == ["q"]
    documents = {r["id"]: _doc(r["id"], r["title"]) for r in records}
    groups = document_groups(documents, [], namesakes)
    assert groups["k1"] == groups["k2"] and groups["s3"] == groups["s3b"] != groups["s6"]


def test_a_page_on_a_variant_of_the_condition_keeps_a_question_from_being_unanswerable() -> None:
    documents = {
        d: _doc(d, t)
        for d, t in (
            ("g1", "Diffuse gastric cancer"),
            ("g2", "hereditary diffuse gastric cancer"),
            ("n1", "Niemann-Pick disease type A"),
            ("n2", "Niemann-Pick disease"),
            ("p1", "Distal chromosome 18q deletion syndrome"),
            ("p2", "Proximal chromosome 18q deletion syndrome"),  # a sibling, not a variant
            ("l1", "Deafness with labyrinthine aplasia microtia and microdontia (LAMM)"),
            ("l2", "congenital deafness with labyrinthine aplasia, microtia, and microdontia"),
        )
    }
    assert title_variants(documents) == {
        "g1": {"g2"}, "g2": {"g1"}, "n1": {"n2"}, "n2": {"n1"}, "p1": set(), "p2": set(), "l1": {"l2"}, "l2": {"l1"},
    }
    alike = named_alike(documents, {"p1": frozenset({"x"})})
    assert alike["p1"] == {"x"} and alike["g1"] == {"g2"}
    questions = [Question(d, f"What is {documents[d].title}?", (d,), ()) for d in ("g1", "n1", "p1")]
    answerable, unanswerable = split_for_abstention(questions, frozenset({"g1", "n1", "p1"}), alike)
    assert answerable == [] and [q.qid for q in unanswerable] == []  # p1's namesake x stays
    answerable, unanswerable = split_for_abstention(questions, frozenset({"g1", "n1", "p1", "x"}), alike)
    assert [q.qid for q in unanswerable] == ["p1"]
