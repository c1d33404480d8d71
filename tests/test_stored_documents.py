"""An index version's documents, read from its file when asked for, equal the documents indexed."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.index_store import read_manifest
from qa_bot.stored_documents import StoredDocuments, parse_document


def test_stored_documents_equal_the_corpus_and_are_read_from_the_file(bot: QABot) -> None:
    _, _, documents = read_manifest(bot.settings.index_dir)
    assert isinstance(documents, StoredDocuments)
    corpus = {doc.id: doc for doc in map(parse_document, _lines(bot))}
    assert list(documents) == list(corpus) and len(documents) == len(corpus)
    assert dict(documents.items()) == corpus
    doc_id = next(iter(corpus))
    assert documents[doc_id] == corpus[doc_id] and doc_id in documents and "no-such-doc" not in documents
    with pytest.raises(KeyError):
        documents["no-such-doc"]


def test_documents_stay_readable_after_their_version_is_pruned(tmp_path: Path, bot: QABot) -> None:
    path = tmp_path / "documents.jsonl"
    path.write_bytes(b"\n".join(_lines(bot)) + b"\n")
    documents = StoredDocuments(path)
    path.unlink()  # a newer version replaced it while this process still serves the old one
    assert [documents[d].id for d in documents] == list(documents)
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert len(StoredDocuments(empty)) == 0


def _lines(bot: QABot) -> list[bytes]:
    folder = bot.settings.index_dir / "versions" / bot.stored.version
    return (folder / "documents.jsonl").read_bytes().splitlines()
