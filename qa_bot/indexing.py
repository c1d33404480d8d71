"""Build the index: documents → chunks → embeddings (cached) → FAISS + BM25 → a new version."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from .chunking import chunk_document
from .config import Settings
from .documents import Document, corpus_fingerprint, load_corpus
from .embedding import Embedder
from .embedding_cache import EmbeddingCache
from .errors import IndexNotBuilt, StaleIndex
from .index_store import (
    FORMAT_VERSION,
    ChunkRecord,
    Manifest,
    StoredIndex,
    read_manifest,
    write_version,
    writer_lock,
)
from .lexical import LexicalIndex

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    version: str
    documents: int
    chunks: int
    seconds: float


def passage_text(doc: Document, chunk: ChunkRecord) -> str:
    """What is embedded and indexed for a passage: title and section as context, then the quote."""
    context = " — ".join(part for part in (doc.title, chunk.section) if part)
    return f"{context}\n{doc.body[chunk.start : chunk.end]}"


def chunking_params(settings: Settings) -> dict[str, int]:
    """The chunking settings an index records; a change makes the index stale."""
    return {"max_tokens": settings.max_chunk_tokens, "overlap_sentences": settings.chunk_overlap_sentences}


def chunk_corpus(
    documents: dict[str, Document],
    embedder: Embedder,
    settings: Settings,
    reuse: dict[str, list[ChunkRecord]] | None = None,
) -> list[ChunkRecord]:
    """Chunk every document in id order, reusing `reuse[doc_id]` where given."""
    limit = min(settings.max_chunk_tokens, embedder.max_tokens)
    chunks: list[ChunkRecord] = []
    for doc_id in sorted(documents):
        if reuse and doc_id in reuse:
            chunks.extend(reuse[doc_id])
            continue
        body = documents[doc_id].body
        pieces = chunk_document(
            body, embedder.count_tokens, limit, settings.chunk_overlap_sentences, embedder.additive_tokens
        )
        chunks.extend(ChunkRecord(doc_id, c.start, c.end, c.section) for c in pieces)
    return chunks


def build_index(
    settings: Settings, embedder: Embedder, documents: dict[str, Document] | None = None, show_progress: bool = False
) -> BuildReport:
    """Build a new index version from the corpus folder (or `documents`) and make it current."""
    with writer_lock(settings.index_dir):
        documents = load_corpus(settings.corpus_dir) if documents is None else documents
        return build_locked(settings, embedder, documents, show_progress)


def build_locked(
    settings: Settings, embedder: Embedder, documents: dict[str, Document], show_progress: bool = False
) -> BuildReport:
    """The build itself, for callers that already hold the writer lock.

    Unchanged documents keep the chunks of the current version, and cached vectors are reused,
    so only new or edited text is chunked and embedded. The result equals a full rebuild.
    """
    began = time.perf_counter()
    chunks = chunk_corpus(documents, embedder, settings, _reusable_chunks(settings, embedder, documents))
    texts = [passage_text(documents[c.doc_id], c) for c in chunks]
    titles = [documents[doc_id].title for doc_id in sorted(documents)]  # each embedded alone, for relevance
    embedded = EmbeddingCache(settings.index_dir / "embeddings", embedder).embed(texts + titles, show_progress)
    vectors, title_vectors = embedded[: len(texts)], embedded[len(texts) :]
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model=embedder.name,
        weights_sha256=embedder.weights_sha256,
        dimension=embedder.dimension,
        corpus_fingerprint=corpus_fingerprint(documents),
        chunking=chunking_params(settings),
        created_at=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        chunks=chunks,
    )
    version = write_version(
        settings.index_dir, manifest, documents, vectors, LexicalIndex.build(texts), title_vectors,
        settings.hnsw_min_passages,
    )
    report = BuildReport(version, len(documents), len(chunks), time.perf_counter() - began)
    logger.info("built %s: %d documents, %d passages", version, report.documents, report.chunks)
    return report


def _reusable_chunks(
    settings: Settings, embedder: Embedder, documents: dict[str, Document]
) -> dict[str, list[ChunkRecord]]:
    """Chunks of the current version for documents whose body is unchanged (same model and chunking)."""
    try:
        _, manifest, previous = read_manifest(settings.index_dir)
    except IndexNotBuilt:
        return {}
    if manifest.weights_sha256 != embedder.weights_sha256 or manifest.chunking != chunking_params(settings):
        return {}
    unchanged = {i for i, doc in previous.items() if i in documents and documents[i].body == doc.body}
    reuse: dict[str, list[ChunkRecord]] = {i: [] for i in unchanged}
    for chunk in manifest.chunks:
        if chunk.doc_id in reuse:
            reuse[chunk.doc_id].append(chunk)
    return reuse


def staleness(stored: StoredIndex, settings: Settings, weights_sha256: str) -> str | None:
    """Why `stored` does not match the corpus folder, model and chunking now; None if it does."""
    manifest = stored.manifest
    if manifest.weights_sha256 != weights_sha256:
        return f"it was built with model {manifest.model!r}, and the model is now {settings.model!r}"
    if manifest.chunking != chunking_params(settings):
        return f"it was built with chunking {manifest.chunking}, now {chunking_params(settings)}"
    if manifest.corpus_fingerprint != corpus_fingerprint(load_corpus(settings.corpus_dir)):
        return f"the documents in {settings.corpus_dir} changed since it was built"
    return None


def require_fresh(stored: StoredIndex, settings: Settings, weights_sha256: str) -> None:
    """Raise `StaleIndex` with the reason and the command that fixes it."""
    reason = staleness(stored, settings, weights_sha256)
    if reason:
        raise StaleIndex(f"The index in {settings.index_dir} is out of date: {reason}. Rebuild it with `qa-bot build`.")
