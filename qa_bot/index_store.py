"""The index on disk: immutable version folders and a `CURRENT` pointer switched atomically.

    index/CURRENT                  name of the version in use
    index/versions/<name>/         manifest.json, vectors.faiss, titles.npy, documents.jsonl, lexical/
    index/embeddings/              the embedding cache

A build stages a new version folder (written as versions/.tmp-<name>, fsynced, renamed), then
replaces CURRENT atomically: a crash at any moment leaves either the previous or the new version in
use, never a half-written one. A maintainer's change stages its version and switches only after
its history line is written (qa_bot/change_journal.py). Whoever takes the writer lock next removes
what an interrupted writer left.
"""

from __future__ import annotations

import fcntl
import json
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import faiss
import numpy as np

from . import durable
from .chunk_table import ChunkRecord, ChunkTable, chunk_row
from .config import Settings
from .documents import Document
from .errors import IndexNotBuilt, QABotError
from .lexical import LexicalIndex
from .stored_documents import StoredDocuments
from .vector_search import build_vector_index

FORMAT_VERSION = 3  # 2: titles.npy, the documents' title vectors; 3: BM25 as plain .npy arrays, one term list
KEEP_VERSIONS = 2


@dataclass(frozen=True)
class Manifest:
    """What an index version was built from; compared with the present on load."""

    format_version: int
    model: str
    weights_sha256: str
    dimension: int
    corpus_fingerprint: str
    chunking: dict[str, int]
    created_at: str
    chunks: Sequence[ChunkRecord]  # a list when built, a `ChunkTable` when read


@dataclass(frozen=True)
class StoredIndex:
    """A loaded index version: everything needed to search and to quote."""

    version: str
    manifest: Manifest
    documents: Mapping[str, Document]  # stored_documents.StoredDocuments, read from the version's file
    vectors: faiss.Index
    lexical: LexicalIndex
    # One unit vector per document title, in `sorted(documents)` order (ranking.Ranker.scores).
    title_vectors: np.ndarray


def vector_index(vectors: np.ndarray, hnsw_min_passages: int = Settings.hnsw_min_passages) -> faiss.Index:
    """Inner-product search (= cosine on unit vectors): exact below `hnsw_min_passages` rows, HNSW above."""
    return build_vector_index(vectors, hnsw_min_passages)


class WriterBusy(QABotError):
    """Another process holds the writer lock."""


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the single-writer lock of `index_dir`, or fail at once saying who holds it; once held,
    temporary files of interrupted writers are removed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise WriterBusy(
                f"Another qa-bot process is updating {index_dir}; wait for it to finish and try again."
            ) from None
        clean_leftovers(index_dir)
        yield


def current_version(index_dir: Path) -> str | None:
    """The name of the version in use, or None when no index was ever built."""
    try:
        return (index_dir / "CURRENT").read_text().strip() or None
    except FileNotFoundError:
        return None


def write_version(
    index_dir: Path,
    manifest: Manifest,
    documents: dict[str, Document],
    vectors: np.ndarray,
    lexical: LexicalIndex,
    title_vectors: np.ndarray,
    hnsw_min_passages: int = Settings.hnsw_min_passages,
) -> str:
    """Write a complete new version, then make it current. Call under `writer_lock`."""
    name = stage_version(index_dir, manifest, documents, vectors, lexical, title_vectors, hnsw_min_passages)
    switch_version(index_dir, name)
    return name


def stage_version(
    index_dir: Path,
    manifest: Manifest,
    documents: dict[str, Document],
    vectors: np.ndarray,
    lexical: LexicalIndex,
    title_vectors: np.ndarray,
    hnsw_min_passages: int = Settings.hnsw_min_passages,
    tag: str | None = None,
) -> str:
    """Write a complete new version folder, not yet in use, and return its name (ending in `tag`
    when given). Call under `writer_lock`; on any failure the half-written folder is removed."""
    versions = index_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    name = f"v{time.strftime('%Y%m%dT%H%M%S')}-{manifest.corpus_fingerprint[:12]}-{tag or secrets.token_hex(4)}"
    staging = versions / f".tmp-{name}"
    try:
        durable.crash_point()
        staging.mkdir()
        durable.crash_point()
        fields = {**asdict(replace(manifest, chunks=[])), "chunks": [asdict(c) for c in manifest.chunks]}
        (staging / "manifest.json").write_text(json.dumps(fields, indent=1))
        durable.crash_point()
        with (staging / "documents.jsonl").open("w", encoding="utf-8") as handle:
            for doc in documents.values():
                handle.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
        durable.crash_point()
        faiss.write_index(vector_index(vectors, hnsw_min_passages), str(staging / "vectors.faiss"))
        durable.crash_point()
        np.save(staging / "titles.npy", np.asarray(title_vectors, dtype=np.float32))
        durable.crash_point()
        lexical.save(staging / "lexical")
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                durable.fsync(path)
        durable.fsync(staging / "lexical")
        durable.fsync(staging)
        durable.replace(staging, versions / name)
        durable.fsync(versions)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return name


def switch_version(index_dir: Path, name: str) -> None:
    """Make the finished version `name` current in one atomic step, then prune old versions."""
    durable.write_atomic(index_dir / "CURRENT", (name + "\n").encode())
    _prune(index_dir / "versions", keep=name)


def clean_leftovers(index_dir: Path) -> None:
    """Remove what interrupted writers left behind: half-written versions and temporary files.
    Call under `writer_lock`."""
    leftovers = [*(index_dir / "versions").glob(".tmp-*"), *index_dir.glob(".CURRENT.tmp*")]
    leftovers += (index_dir / "embeddings").glob("*.tmp*.npz")
    for path in leftovers:
        if path.is_dir():
            durable.remove_tree(path)
        else:
            durable.unlink(path)


def read_index(index_dir: Path) -> StoredIndex:
    """Load the current version; raise `IndexNotBuilt` with the command to run."""
    name, manifest, documents = read_manifest(index_dir)
    folder = index_dir / "versions" / name
    # Memory-mapped, read-only: the vectors, the HNSW graph and the BM25 arrays stay in the page
    # cache, shared by every process serving this version, instead of a private copy each.
    vectors = faiss.read_index(str(folder / "vectors.faiss"), faiss.IO_FLAG_MMAP_IFC)
    titles = np.load(folder / "titles.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
    return StoredIndex(name, manifest, documents, vectors, LexicalIndex.load(folder / "lexical"), titles)


def read_manifest(index_dir: Path) -> tuple[str, Manifest, Mapping[str, Document]]:
    """The current version's name, manifest and documents (read from their file when asked for:
    `stored_documents.py`), without loading the search indexes."""
    name = current_version(index_dir)
    if name is None:
        raise IndexNotBuilt(f"No index in {index_dir}. Build it with `qa-bot build` (or `make index`).")
    folder = index_dir / "versions" / name
    try:
        raw = json.loads((folder / "manifest.json").read_text(), object_hook=chunk_row)
    except (OSError, ValueError) as err:
        raise IndexNotBuilt(f"The index in {folder} is unreadable ({err}). Rebuild it with `qa-bot build`.") from None
    if raw.get("format_version") != FORMAT_VERSION:
        raise IndexNotBuilt(
            f"The index in {folder} has format {raw.get('format_version')}, this qa-bot reads "
            f"{FORMAT_VERSION}. Rebuild it with `qa-bot build`."
        )
    # Four integer columns, not an object a passage (chunk_table.py).
    try:
        chunks = ChunkTable(raw["chunks"])
    except (KeyError, TypeError, ValueError) as err:
        raise IndexNotBuilt(
            f"The index in {folder} lists its passages wrongly ({err}). Rebuild it with `qa-bot build`."
        ) from None
    return name, Manifest(**{**raw, "chunks": chunks}), StoredDocuments(folder / "documents.jsonl")


def _prune(versions: Path, keep: str) -> None:
    """Delete all but the newest KEEP_VERSIONS versions, and leftovers of interrupted builds."""
    finished = sorted((p for p in versions.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    stale = [p for p in finished if p.name != keep][: max(0, len(finished) - KEEP_VERSIONS)]
    for path in stale:
        durable.remove_tree(path)
