"""An index version's passages read back as integer columns are the records that were written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.chunk_table import ChunkRecord, ChunkTable
from qa_bot.errors import IndexNotBuilt
from qa_bot.index_store import current_version, read_manifest


def test_the_read_passages_are_the_records_the_manifest_lists(bot: QABot) -> None:
    folder = bot.settings.index_dir
    written = json.loads((folder / "versions" / current_version(folder) / "manifest.json").read_text())["chunks"]
    chunks = read_manifest(folder)[1].chunks
    assert isinstance(chunks, ChunkTable)
    assert [ChunkRecord(**c) for c in written] == list(chunks) == [chunks[i] for i in range(len(chunks))]
    assert chunks[-1] == ChunkRecord(**written[-1]) and chunks[1:3] == [ChunkRecord(**c) for c in written[1:3]]
    assert chunks == [ChunkRecord(**c) for c in written] and chunks != [ChunkRecord(**c) for c in written[:-1]]


def test_a_table_keeps_one_string_per_document_and_section() -> None:
    rows = [("doc-a", 0, 10, "Summary"), ("doc-b", 5, 9, "Summary"), ("doc-a", 10, 20, "Causes")]
    table = ChunkTable(rows)
    assert [tuple(getattr(c, f) for f in ("doc_id", "start", "end", "section")) for c in table] == rows
    assert table[0].doc_id is table[2].doc_id and table[0].section is table[1].section
    assert ChunkTable(list(table)) == table and len(ChunkTable([])) == 0


def test_a_manifest_with_broken_passages_asks_for_a_rebuild(bot: QABot, tmp_path: Path) -> None:
    folder = tmp_path / "index"
    shutil.copytree(bot.settings.index_dir, folder, ignore=shutil.ignore_patterns("embeddings", ".lock"))
    manifest = folder / "versions" / current_version(folder) / "manifest.json"
    raw = json.loads(manifest.read_text())
    raw["chunks"][3] = {"doc_id": "x", "start": "nine"}
    manifest.write_text(json.dumps(raw))
    with pytest.raises(IndexNotBuilt, match="qa-bot build"):
        read_manifest(folder)
