"""Build the index: documents → chunks → embeddings (cached) → FAISS + BM25 → a new version."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from . import change_journal, durable
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
    stage_version,
    switch_version,
    writer_lock,
)
from .lexical import LexicalIndex
from .prebuilt import matching_vectors

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
    with writer_lock(settings.index_dir), durable.disk_errors("the build"):
        change_journal.recover(settings)  # a change cut short is finished or undone, never half published
        documents = load_corpus(settings.corpus_dir) if documents is None else documents
        return build_locked(settings, embedder, documents, show_progress)


def build_locked(
    settings: Settings,
    embedder: Embedder,
    documents: dict[str, Document],
    show_progress: bool = False,
    publish: bool = True,
    tag: str | None = None,
) -> BuildReport:
    """The build itself, for callers that already hold the writer lock; with `publish` False the
    new version (named with `tag`) is staged but not made current (qa_bot/change_journal.py).

    Unchanged documents keep the chunks of the current version, and cached vectors are reused,
    so only new or edited text is chunked and embedded. The result equals a full rebuild.
    """
    began = time.perf_counter()
    chunks = chunk_corpus(documents, embedder, settings, _reusable_chunks(settings, embedder, documents))
    texts = [passage_text(documents[c.doc_id], c) for c in chunks]
    titles = [documents[doc_id].title for doc_id in sorted(documents)]  # each embedded alone, for relevance
    cache = EmbeddingCache(settings.index_dir / "embeddings", embedder)
    shipped = matching_vectors(settings.prebuilt_dir, embedder.weights_sha256, corpus_fingerprint(documents),
                               chunking_params(settings))
    if shipped:
        logger.info("took %d prebuilt vectors from %s", cache.add(*shipped), settings.prebuilt_dir)
    embedded = cache.embed(texts + titles, show_progress)
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
    lexical = LexicalIndex.build(texts)
    version = stage_version(
        settings.index_dir, manifest, documents, vectors, lexical, title_vectors, settings.hnsw_min_passages, tag
    )
    if publish:
        switch_version(settings.index_dir, version)
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
    match = compare_index(manifest, previous, settings, embedder.weights_sha256, documents)
    if match.model or match.chunking:
        return {}
    reuse: dict[str, list[ChunkRecord]] = {i: [] for i in match.same_body}
    for chunk in manifest.chunks:
        if chunk.doc_id in reuse:
            reuse[chunk.doc_id].append(chunk)
    return reuse


@dataclass(frozen=True)
class IndexMatch:
    """How an index version compares with a corpus, a model and the chunking settings."""

    model: str | None  # why the model differs, or None
    chunking: str | None  # why the chunking differs, or None
    added: tuple[str, ...] = ()  # in the corpus, not in the index
    removed: tuple[str, ...] = ()  # in the index, not in the corpus
    changed: tuple[str, ...] = ()  # in both, text or metadata changed
    same_body: frozenset[str] = frozenset()  # in both with the same text (their chunks can be reused)

    @property
    def fresh(self) -> bool:
        """True when the index was built from exactly this corpus, model and chunking."""
        return not self.reasons()

    def reasons(self) -> list[str]:
        """One line per difference (empty when the index matches)."""
        found = [f"{i}: in the corpus, not in the index" for i in self.added]
        found += [f"{i}: in the index, not in the corpus" for i in self.removed]
        found += [f"{i}: changed since the index was built" for i in self.changed]
        return found + [reason for reason in (self.model, self.chunking) if reason]


def compare_index(
    manifest: Manifest,
    indexed: dict[str, Document],
    settings: Settings,
    weights_sha256: str,
    corpus: dict[str, Document] | None = None,
) -> IndexMatch:
    """The one answer to "does this index match this corpus, model and chunking?"; with `corpus`
    None, only the model and the chunking are compared (a new version to serve)."""
    model = None
    if manifest.weights_sha256 != weights_sha256:
        model = f"the index was built with model {manifest.model!r}, now {settings.model!r}"
    chunking = None
    if manifest.chunking != chunking_params(settings):
        chunking = f"the index was built with chunking {manifest.chunking}, now {chunking_params(settings)}"
    if corpus is None:
        return IndexMatch(model, chunking)
    both = sorted(corpus.keys() & indexed.keys())
    return IndexMatch(
        model,
        chunking,
        added=tuple(sorted(corpus.keys() - indexed.keys())),
        removed=tuple(sorted(indexed.keys() - corpus.keys())),
        changed=tuple(i for i in both if corpus[i] != indexed[i]),
        same_body=frozenset(i for i in both if corpus[i].body == indexed[i].body),
    )


def corpus_differences(
    manifest: Manifest, indexed: dict[str, Document], settings: Settings, weights_sha256: str
) -> list[str]:
    """What differs between an index version and the corpus folder; empty also when the index holds
    the state a live maintainer's change is switching to (qa_bot/change_journal.py)."""
    corpus = load_corpus(settings.corpus_dir)
    found = [
        compare_index(manifest, indexed, settings, weights_sha256, state).reasons()
        for state in change_journal.possible_corpora(settings, corpus)
    ]
    return min(found, key=len)


def require_fresh(stored: StoredIndex, settings: Settings, weights_sha256: str) -> None:
    """Raise `StaleIndex` with the differences and the command that fixes them."""
    reasons = corpus_differences(stored.manifest, stored.documents, settings, weights_sha256)
    if reasons:
        raise StaleIndex(
            f"The index in {settings.index_dir} does not match {settings.corpus_dir}: {summary(reasons)}. "
            "Rebuild it with `qa-bot build`."
        )


def summary(reasons: list[str], shown: int = 3) -> str:
    """The first `shown` differences, and how many more there are."""
    more = f" (and {len(reasons) - shown} more)" if len(reasons) > shown else ""
    return "; ".join(reasons[:shown]) + more
