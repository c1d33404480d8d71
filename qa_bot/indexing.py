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
from .errors import StaleIndex
from .index_store import FORMAT_VERSION, ChunkRecord, Manifest, StoredIndex, write_version, writer_lock
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


def chunk_corpus(documents: dict[str, Document], embedder: Embedder, settings: Settings) -> list[ChunkRecord]:
    """Chunk every document, in id order."""
    limit = min(settings.max_chunk_tokens, embedder.max_tokens)
    return [
        ChunkRecord(doc_id, c.start, c.end, c.section)
        for doc_id in sorted(documents)
        for c in chunk_document(
            documents[doc_id].body, embedder.count_tokens, limit, settings.chunk_overlap_sentences
        )
    ]


def build_index(
    settings: Settings, embedder: Embedder, documents: dict[str, Document] | None = None, show_progress: bool = False
) -> BuildReport:
    """Build a new index version from the corpus folder (or `documents`) and make it current."""
    began = time.perf_counter()
    documents = load_corpus(settings.corpus_dir) if documents is None else documents
    with writer_lock(settings.index_dir):
        chunks = chunk_corpus(documents, embedder, settings)
        texts = [passage_text(documents[c.doc_id], c) for c in chunks]
        vectors = EmbeddingCache(settings.index_dir / "embeddings", embedder).embed(texts, show_progress)
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
        version = write_version(settings.index_dir, manifest, documents, vectors, LexicalIndex.build(texts))
    report = BuildReport(version, len(documents), len(chunks), time.perf_counter() - began)
    logger.info("built %s: %d documents, %d passages", version, report.documents, report.chunks)
    return report


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
