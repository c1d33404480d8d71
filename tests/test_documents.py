"""Documents: front matter, the seed document, and clear errors for bad input."""

from __future__ import annotations

import os
import tracemalloc
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qa_bot.converters import extract
from qa_bot.documents import (
    MAX_DOCUMENT_BYTES,
    Document,
    corpus_fingerprint,
    from_text,
    load_corpus,
    read_document,
    read_file_limited,
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
        (make(body="   \n\n  "), "the document is empty"),
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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (make(body="Red \x1b[31malert\x1b[0m."), r"the text has a control character \(U\+001B\) at line 1, column 5"),
        (make(body="Line.\nRing \x07 bell."), r"U\+0007\) at line 2, column 6"),
        (make(body="Eight-bit \x9b2J CSI."), r"U\+009B"),
        (make(body="Old Mac\rline end."), r"U\+000D"),
        (make().replace("title: T", "title: T\x1b]0;x\x07"), r"metadata title has a control character \(U\+001B\)"),
        (make().replace("source: S", "source: S\x7f"), r"metadata source has a control character \(U\+007F\)"),
        (make().replace("2026-01-02", "2026-02-30"), "must be a date like 2026-11-24"),
        (make().replace("2026-01-02", "2025-13-01"), "must be a date like 2026-11-24"),
        (make().replace("id: doc", "id: doc\nid: other"), "line 3: 'id' is given twice"),
        (make().replace("title: T", "title: T\ntitle : T2"), "'title' is given twice"),
        (make(body=" \u00a0\n\u3000\t\n"), "the document is empty"),
    ],
)
def test_control_characters_bad_dates_and_repeated_keys_are_refused(text: str, message: str) -> None:
    with pytest.raises(InvalidDocument, match=message):
        from_text(text, origin="upload.md")


def test_tab_crlf_a_leap_day_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    doc = from_text("\ufeff" + make(body="Col\tumn.\r\nNext line.").replace("2026-01-02", "2024-02-29"))
    assert (doc.body, doc.reviewed_on, doc.reviewed) == ("Col\tumn.\r\nNext line.", "2024-02-29", True)
    saved = tmp_path / "bom.md"
    saved.write_bytes(b"\xef\xbb\xbf" + make().encode())
    assert read_document(saved).id == "doc"


def test_ids_are_unique_ignoring_case(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(make("Ataxia"))
    (tmp_path / "b.md").write_text(make("ataxia", "Other."))
    with pytest.raises(InvalidDocument, match="'ataxia' is already used by .*a.md \\(ids ignore case\\)"):
        load_corpus(tmp_path)


def test_symbolic_links_and_other_non_files_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(make("secret"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "link.md").symlink_to(secret)
    with pytest.raises(InvalidDocument, match="link.md: is a symbolic link; give the file itself"):
        load_corpus(corpus)
    with pytest.raises(InvalidDocument, match="symbolic link"):
        read_file_limited(corpus / "link.md")
    os.mkfifo(tmp_path / "pipe.md")
    with pytest.raises(InvalidDocument, match="not a regular file"):
        read_file_limited(tmp_path / "pipe.md")


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    with huge.open("wb") as handle:  # sparse: 2 GB on paper, nothing on disk
        handle.truncate(2_000_000_000)
    tracemalloc.start()
    with pytest.raises(InvalidDocument, match="2,000,000,000 bytes is over the 5,000,000-byte limit"):
        read_file_limited(huge)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 100_000  # not even the first 5 MB were read


def test_uploads_of_whitespace_are_empty_documents_and_not_scanned_pdfs() -> None:
    for data in (b"   \n\t\n", "\u00a0\u3000\n".encode(), make(body="\n\n   \n").encode()):
        with pytest.raises(InvalidDocument, match="the document is empty"):
            extract("blank.md", data)


@settings(max_examples=300, deadline=None)
@given(body=st.text(min_size=1, max_size=60), title=st.text(min_size=1, max_size=20))
def test_any_text_is_a_clean_document_or_a_clear_refusal(body: str, title: str) -> None:
    text = make(body=body).replace("title: T", f"title: {title}")
    try:
        doc = from_text(text, origin="fuzz.md")
    except InvalidDocument as err:
        assert str(err).startswith("fuzz.md")
        return
    assert doc.body == body.removeprefix("\ufeff") or doc.body == body
    for value in (doc.body, doc.title):
        assert not any(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r" for ch in value)
