"""Index build throughput against bare encoding, and adding one document against a full rebuild."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

from qa_bot.config import Settings
from qa_bot.documents import Document
from qa_bot.embedding import Embedder
from qa_bot.embedding_cache import EmbeddingCache
from qa_bot.index_store import read_manifest
from qa_bot.indexing import build_index, passage_text

from .common import CACHE, median, ratio, timed


def _passage_texts(index_dir: Path) -> list[str]:
    _, manifest, documents = read_manifest(index_dir)
    return [passage_text(documents[c.doc_id], c) for c in manifest.chunks]


def build_throughput(embedder: Embedder, settings: Settings, documents: dict[str, Document], repeats: int = 3) -> dict:
    """Passages per second of a full build with an empty embedding cache (chunking, embedding, BM25,
    vector index, writing) against `SentenceTransformer.encode` of the same passage texts alone."""
    build_s, bare_s = [], []
    passages = 0
    model = embedder._model
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            index_dir = Path(tmp) / "index"
            ours = replace(settings, index_dir=index_dir)
            build_s.append(timed(lambda ours=ours: build_index(ours, embedder, documents)))
            texts = _passage_texts(index_dir)
        passages = len(texts)
        bare_s.append(timed(lambda texts=texts: model.encode(texts, normalize_embeddings=True)))  # its defaults
    build_rate = passages / median(build_s)
    bare_rate = passages / median(bare_s)
    return {
        "documents": len(documents),
        "passages": passages,
        "repeats": repeats,
        "build_passages_per_s": round(build_rate, 2),
        "bare_encode_passages_per_s": round(bare_rate, 2),
        "ratio": ratio(build_rate, bare_rate),
    }


def new_document(doc: Document, number: int) -> Document:
    """A document no cache has seen: `doc` under a new id and title."""
    return replace(doc, id=f"bench-new-{number}", title=f"Bench addition {number}: {doc.title}")


def incremental_add(
    embedder: Embedder, settings: Settings, documents: dict[str, Document], build_passages_per_s: float, adds: int = 3
) -> dict:
    """Seconds to add one new document to the indexed `documents` (its passages embedded, the rest
    reused), against a full rebuild estimated from the measured build throughput.

    The index is a copy in a temporary folder, with a copy of the shared embedding cache.
    """
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = Path(tmp) / "index"
        ours = replace(settings, index_dir=index_dir)
        cache_file = EmbeddingCache(CACHE / "embeddings", embedder).path
        (index_dir / "embeddings").mkdir(parents=True)
        if cache_file.is_file():
            shutil.copy(cache_file, index_dir / "embeddings" / cache_file.name)
        cached_build_s = timed(lambda: build_index(ours, embedder, documents))
        passages = len(read_manifest(index_dir)[1].chunks)
        add_s = []
        current = dict(documents)
        donors = sorted(documents)[:adds]
        for number, donor in enumerate(donors):
            doc = new_document(documents[donor], number)
            current[doc.id] = doc
            add_s.append(timed(lambda current=dict(current): build_index(ours, embedder, current)))
    full_rebuild_s = passages / build_passages_per_s
    return {
        "passages": passages,
        "adds": adds,
        "add_one_document_s": round(median(add_s), 3),
        "rebuild_all_cached_s": round(cached_build_s, 3),
        "full_rebuild_estimated_s": round(full_rebuild_s, 1),
        "full_rebuild_estimate": "passages / measured end-to-end build throughput (embedding everything)",
        "ratio": ratio(median(add_s), full_rebuild_s),
    }
