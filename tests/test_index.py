"""The index: a real FAISS + BM25 index in versioned folders with a JSON manifest."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot, Settings
from qa_bot.embedding import Embedder
from qa_bot.embedding_cache import EmbeddingCache
from qa_bot.errors import IndexNotBuilt, QABotError, StaleIndex
from qa_bot.index_store import current_version, read_index, writer_lock
from qa_bot.indexing import build_index, passage_text, summary

from .conftest import SEED_ID


@pytest.fixture
def private(seed_settings: Settings, tmp_path: Path) -> Settings:
    """A copy of the seed corpus and an empty index folder that a test may change."""
    shutil.copytree(seed_settings.corpus_dir, tmp_path / "corpus")
    return replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def test_manifest_records_what_the_index_was_built_from(bot: QABot, embedder: Embedder) -> None:
    folder = bot.settings.index_dir / "versions" / bot.stored.version
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format_version"] == 3
    assert manifest["model"] == "all-MiniLM-L6-v2"
    assert manifest["weights_sha256"] == embedder.weights_sha256
    assert manifest["dimension"] == 384
    assert len(manifest["corpus_fingerprint"]) == 64
    assert len(manifest["chunks"]) == bot.stored.vectors.ntotal > 5
    assert not [p for p in folder.rglob("*") if p.suffix in {".pkl", ".pickle"}]
    (title,) = [doc.title for doc in bot.stored.documents.values()]
    np.testing.assert_allclose(np.load(folder / "titles.npy"), embedder.encode([title]), atol=1e-5)


def test_every_chunk_is_an_exact_slice_that_fits_the_model(bot: QABot, embedder: Embedder) -> None:
    body = bot.stored.documents[SEED_ID].body
    for chunk in bot.stored.manifest.chunks:
        text = body[chunk.start : chunk.end]
        assert text == text.strip() and "\n\n" not in text
        assert embedder.count_tokens(passage_text(bot.stored.documents[SEED_ID], chunk)) <= embedder.max_tokens


def test_faiss_search_matches_numpy_brute_force(bot: QABot, embedder: Embedder) -> None:
    stored = bot.stored
    all_vectors = stored.vectors.reconstruct_n(0, stored.vectors.ntotal)
    query = embedder.encode(["how is cerebellar atrophy treated"])[0]
    scores, rows = stored.vectors.search(query.reshape(1, -1), stored.vectors.ntotal)
    expected = all_vectors @ query
    np.testing.assert_array_equal(rows[0], np.argsort(-expected, kind="stable"))
    np.testing.assert_allclose(scores[0], np.sort(expected)[::-1], atol=1e-5)


def test_each_passage_finds_itself_first(bot: QABot) -> None:
    for row, chunk in enumerate(bot.stored.manifest.chunks):
        text = bot.stored.documents[chunk.doc_id].body[chunk.start : chunk.end]
        assert bot.search(text, 1).hits[0].start == chunk.start, row


def test_no_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexNotBuilt, match="qa-bot build"):
        read_index(tmp_path / "index")


def test_a_changed_corpus_makes_the_index_stale(private: Settings, embedder: Embedder) -> None:
    build_index(private, embedder)
    QABot.load(private, embedder)
    seed = private.corpus_dir / f"{SEED_ID}.md"
    seed.write_text(seed.read_text().replace("balance", "equilibrium"))
    with pytest.raises(StaleIndex, match="changed since the index was built.*qa-bot build"):
        QABot.load(private, embedder)
    with pytest.raises(StaleIndex, match="chunking"):
        QABot.load(replace(private, max_chunk_tokens=99), embedder)


def test_rebuild_embeds_only_new_passages_and_switches_versions(private: Settings, embedder: Embedder) -> None:
    first = build_index(private, embedder)
    extra = private.corpus_dir / "extra.md"
    extra.write_text(
        "---\nid: extra\ntitle: Extra\nsource: test\nreviewed_by: tester\nreviewed_on: 2026-01-01\nlicense: CC0\n---\n"
        "Tremor is shaking you cannot control.\n"
    )
    calls: list[int] = []
    original = embedder.encode
    try:
        embedder.encode = lambda texts, **kw: calls.append(len(texts)) or original(texts, **kw)  # type: ignore[method-assign]
        second = build_index(private, embedder)
    finally:
        del embedder.encode
    assert calls == [2]  # the new passage and the new title, in one call
    assert second.chunks == first.chunks + 1 and current_version(private.index_dir) == second.version
    assert QABot.load(private, embedder).search("uncontrollable shaking", 1).hits[0].doc_id == "extra"


def test_an_interrupted_build_leaves_the_last_good_index(private: Settings, embedder: Embedder) -> None:
    good = build_index(private, embedder).version
    (private.index_dir / "versions" / ".tmp-v-crashed").mkdir()
    (private.index_dir / "versions" / ".tmp-v-crashed" / "manifest.json").write_text("{half")
    (private.index_dir / ".CURRENT.tmp999").write_text("v-crashed")
    assert QABot.load(private, embedder).stored.version == good


def test_embedding_cache_survives_reload(private: Settings, embedder: Embedder) -> None:
    cache = EmbeddingCache(private.index_dir / "embeddings", embedder)
    vectors = cache.embed(["alpha", "beta", "alpha"])
    np.testing.assert_array_equal(vectors[0], vectors[2])
    again = EmbeddingCache(private.index_dir / "embeddings", embedder)
    np.testing.assert_array_equal(again.embed(["beta"])[0], vectors[1])


def test_only_one_writer_at_a_time(tmp_path: Path) -> None:
    with writer_lock(tmp_path), pytest.raises(QABotError, match="wait for it to finish"), writer_lock(tmp_path):
        pass


def test_a_long_list_of_differences_is_summed_up() -> None:
    reasons = [f"DOC_{n}: in the corpus, not in the index" for n in range(148)]
    assert summary(reasons) == "; ".join(reasons[:3]) + " (and 145 more)"
    assert summary(reasons[:2]) == "; ".join(reasons[:2])
