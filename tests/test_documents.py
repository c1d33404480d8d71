"""Documents: front matter, the seed document, and clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_bot.documents import (
    MAX_DOCUMENT_BYTES,
    Document,
    corpus_fingerprint,
    from_text,
    load_corpus,
    read_document,
    to_text,
)
from qa_bot.errors import InvalidDocument

from .conftest import PROJECT_CORPUS, SEED_ID

HEADER = "---\nid: {id}\ntitle: T\nsource: S\nreviewed_by: R\nreviewed_on: 2026-01-02\nlicense: L\n---\n"


def make(doc_id: str = "doc", body: str = "Some text.") -> str:
    return HEADER.format(id=doc_id) + body


def test_seed_document_is_in_the_corpus_with_honest_metadata() -> None:
    doc = load_corpus(PROJECT_CORPUS)[SEED_ID]
    assert doc.title == "Cerebro cerebellar volume loss"
    assert doc.body.startswith("Cerebro cerebellar volume loss, also known as cerebellar atrophy,")
    assert doc.body.endswith("for proper evaluation and treatment.")
    assert "nobody" in doc.reviewed_by
    assert not doc.reviewed


def test_round_trip_keeps_the_body_byte_for_byte() -> None:
    body = "Line one.\r\n\n  Indented — “quoted”.\n\n\n"
    doc = from_text(make(body=body))
    assert doc.body == body
    assert from_text(to_text(doc)) == doc
    assert doc.reviewed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no header", "must start with a '---' line"),
        ("---\nid: a\n", "never closed"),
        ("---\nid: a\ntitle: T\n---\nBody.", "missing metadata source, reviewed_by, reviewed_on, license"),
        (make(body="   \n\n  "), "the text is empty"),
        (make(doc_id="bad id!"), "must be letters, digits"),
        (make(body="a\x00b"), "looks binary"),
        (make() .replace("license: L", "license: L\ncolour: red"), "unknown metadata colour"),
        ("---\nnot a pair\n---\nBody.", "expected 'key: value'"),
    ],
)
def test_malformed_documents_are_refused_with_the_fix(text: str, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        from_text(text, origin="upload.md")


def test_undecodable_and_huge_files_are_refused(tmp_path: Path) -> None:
    latin = tmp_path / "latin.md"
    latin.write_bytes(make(body="caf\xe9").encode("latin-1"))
    with pytest.raises(InvalidDocument, match="not UTF-8"):
        read_document(latin)
    huge = tmp_path / "huge.md"
    huge.write_text(make(body="x" * (MAX_DOCUMENT_BYTES + 1)))
    with pytest.raises(InvalidDocument, match="over the"):
        read_document(huge)


def test_duplicate_ids_in_a_corpus_are_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(make("same"))
    (tmp_path / "b.txt").write_text(make("same", "Other."))
    with pytest.raises(InvalidDocument, match="already used by"):
        load_corpus(tmp_path)


def test_missing_corpus_folder_says_how_to_fix(tmp_path: Path) -> None:
    with pytest.raises(InvalidDocument, match="QA_BOT_CORPUS"):
        load_corpus(tmp_path / "nope")


def test_fingerprint_changes_with_any_edit() -> None:
    doc = from_text(make())
    base = corpus_fingerprint({doc.id: doc})
    edited = Document(**{**doc.__dict__, "body": doc.body + " "})
    retitled = Document(**{**doc.__dict__, "title": "Other"})
    assert len({base, corpus_fingerprint({doc.id: edited}), corpus_fingerprint({doc.id: retitled})}) == 3
    assert corpus_fingerprint({}) != base
