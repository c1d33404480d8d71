"""Maintainers' changes to the corpus: add, replace and remove documents, safely.

Each change holds the writer lock, validates everything before touching a file, writes the
corpus file atomically, builds a new index version incrementally, and records the change in the
audit trail. If the build fails, the corpus file is put back, so a rejected change changes nothing.
"""

from __future__ import annotations

import getpass
import os
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import audit
from .config import Settings
from .converters import extract
from .documents import REQUIRED_FIELDS, Document, corpus_paths, load_corpus, make_document, same_id, to_text
from .embedding import Embedder
from .errors import IndexNotBuilt, InvalidDocument
from .index_store import read_manifest, writer_lock
from .indexing import build_locked, compare_index

NEAR_DUPLICATE = 0.8
_SHINGLE = 5


@dataclass(frozen=True)
class ChangeReport:
    """The outcome of one change: the audit record, the document's passages now indexed, warnings."""

    change: audit.Change
    chunks: int
    warnings: tuple[str, ...]


def prepare(name: str, data: bytes, overrides: dict[str, str | None] | None = None) -> Document:
    """Convert and validate an uploaded file; metadata given here wins over what the file says."""
    meta, text = extract(name, data)
    meta.update({key: value for key, value in (overrides or {}).items() if value})
    meta.setdefault("id", slug(Path(name).stem))
    return make_document(meta, text, name)


def near_duplicates(doc: Document, documents: dict[str, Document], skip: str | None = None) -> list[str]:
    """Warnings naming documents whose text is nearly the same as `doc`'s (word 5-gram overlap)."""
    mine = _shingles(doc.body)
    warnings = []
    for other in documents.values():
        theirs = _shingles(other.body) if other.id != skip else set()
        overlap = len(mine & theirs) / max(1, len(mine | theirs))
        if overlap >= NEAR_DUPLICATE:
            warnings.append(f"{doc.id} is nearly identical to {other.id} ({overlap:.0%} of word runs shared).")
    return warnings


def add_document(settings: Settings, embedder: Embedder, doc: Document, who: str | None = None) -> ChangeReport:
    """Add a new document; refuse an existing id or a copy of an existing text."""
    with writer_lock(settings.index_dir):
        documents = load_corpus(settings.corpus_dir)
        taken = same_id(doc.id, documents)  # ids ignore case: on some disks Ataxia.md is ataxia.md
        if taken is not None:
            raise InvalidDocument(f"id {taken!r} already exists; use `qa-bot replace {taken} FILE` or another id.")
        _refuse_copies(doc, documents)
        warnings = near_duplicates(doc, documents)
        with _restorable(settings.corpus_dir / f"{doc.id}.md") as path:
            _write_atomic(path, to_text(doc))
            report = build_locked(settings, embedder, {**documents, doc.id: doc})
        return _finish(settings, "add", doc, who, report.version, warnings)


def replace_document(
    settings: Settings, embedder: Embedder, doc_id: str, doc: Document, who: str | None = None
) -> ChangeReport:
    """Replace document `doc_id` with `doc` (which keeps the id `doc_id`)."""
    with writer_lock(settings.index_dir):
        paths = corpus_paths(settings.corpus_dir)
        documents = load_corpus(settings.corpus_dir)
        if doc_id not in documents:
            raise InvalidDocument(f"no document {doc_id!r}; see `qa-bot list`, or use `qa-bot add`.")
        doc = make_document({**{f: getattr(doc, f) for f in REQUIRED_FIELDS}, "id": doc_id}, doc.body, doc_id)
        if doc == documents[doc_id]:
            raise InvalidDocument(f"{doc_id}: the new version is identical to the current one; nothing to do.")
        _refuse_copies(doc, {k: v for k, v in documents.items() if k != doc_id})
        warnings = near_duplicates(doc, documents, skip=doc_id)
        target = settings.corpus_dir / f"{doc_id}.md"
        with _restorable(paths[doc_id]), _restorable(target):
            if paths[doc_id] != target:
                paths[doc_id].unlink()
            _write_atomic(target, to_text(doc))
            report = build_locked(settings, embedder, {**documents, doc_id: doc})
        return _finish(settings, "replace", doc, who, report.version, warnings)


def remove_document(settings: Settings, embedder: Embedder, doc_id: str, who: str | None = None) -> ChangeReport:
    """Remove document `doc_id`; nothing is embedded."""
    with writer_lock(settings.index_dir):
        paths = corpus_paths(settings.corpus_dir)
        documents = load_corpus(settings.corpus_dir)
        if doc_id not in documents:
            raise InvalidDocument(f"no document {doc_id!r}; see `qa-bot list`.")
        removed = documents.pop(doc_id)
        with _restorable(paths[doc_id]) as path:
            path.unlink()
            report = build_locked(settings, embedder, documents)
        return _finish(settings, "remove", removed, who, report.version, ())


def slug(text: str) -> str:
    """A document id made from a file name or title."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._").lower()
    return cleaned[:128] or "document"


def _refuse_copies(doc: Document, documents: dict[str, Document]) -> None:
    for other in documents.values():
        if other.body_hash == doc.body_hash:
            raise InvalidDocument(f"{doc.id}: the same text is already in the corpus as {other.id!r}.")


def _finish(
    settings: Settings, action: str, doc: Document, who: str | None, version: str, warnings: Sequence[str]
) -> ChangeReport:
    change = audit.Change(
        when=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        action=action,
        doc_id=doc.id,
        who=who or os.environ.get("QA_BOT_MAINTAINER") or getpass.getuser(),
        content_hash=doc.content_hash,
        title=doc.title,
        reviewed_by=doc.reviewed_by,
        reviewed_on=doc.reviewed_on,
        index_version=version,
    )
    audit.record(settings.corpus_dir, change)
    return ChangeReport(change, chunk_counts(settings).get(doc.id, 0), tuple(warnings))


@contextmanager
def _restorable(path: Path) -> Iterator[Path]:
    """Put `path` back as it was (present or absent) if the block fails."""
    before = path.read_bytes() if path.exists() else None
    try:
        yield path
    except BaseException:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            _write_atomic(path, before.decode("utf-8"))
        raise


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _shingles(text: str) -> set[int]:
    words = text.lower().split()
    return {hash(" ".join(words[i : i + _SHINGLE])) for i in range(max(1, len(words) - _SHINGLE + 1))}


def differences(settings: Settings, weights_sha256: str) -> list[str]:
    """What differs between the corpus folder and the index in use (empty when they agree)."""
    try:
        _, manifest, indexed = read_manifest(settings.index_dir)
    except IndexNotBuilt as err:
        return [str(err)]
    return compare_index(manifest, indexed, settings, weights_sha256, load_corpus(settings.corpus_dir)).reasons()


def chunk_counts(settings: Settings) -> dict[str, int]:
    """Passages per document in the index in use (empty when there is no index)."""
    try:
        _, manifest, _ = read_manifest(settings.index_dir)
    except IndexNotBuilt:
        return {}
    return dict(Counter(chunk.doc_id for chunk in manifest.chunks))
