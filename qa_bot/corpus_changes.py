"""Maintainers' changes to the corpus: add, replace and remove documents, safely.

Each change holds the writer lock, validates everything before touching a file, and runs as one
transaction (qa_bot/change_journal.py): journal, new index version built incrementally, history
line (the commit point), switch, corpus file. A change that fails or is cut short changes nothing
or is completed by the next command; never half.
"""

from __future__ import annotations

import getpass
import os
import re
import secrets
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import audit, change_journal, durable
from .config import Settings
from .converters import extract
from .documents import REQUIRED_FIELDS, Document, corpus_paths, load_corpus, make_document, same_id, to_text
from .embedding import Embedder
from .errors import IndexNotBuilt, InvalidDocument
from .index_store import read_manifest, writer_lock
from .indexing import build_locked, corpus_differences

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
    with writer_lock(settings.index_dir), durable.disk_errors(f"adding {doc.id}"):
        change_journal.recover(settings)
        documents = load_corpus(settings.corpus_dir)
        taken = same_id(doc.id, documents)  # ids ignore case: on some disks Ataxia.md is ataxia.md
        if taken is not None:
            raise InvalidDocument(f"id {taken!r} already exists; use `qa-bot replace {taken} FILE` or another id.")
        _refuse_copies(doc, documents)
        warnings = near_duplicates(doc, documents)
        pending = _pending("add", doc.id, f"{doc.id}.md", to_text(doc))
        return _commit(settings, embedder, pending, doc, documents, who, warnings)


def replace_document(
    settings: Settings, embedder: Embedder, doc_id: str, doc: Document, who: str | None = None
) -> ChangeReport:
    """Replace document `doc_id` with `doc` (which keeps the id `doc_id`); the file is overwritten in
    one step, so there is never a moment without the document."""
    with writer_lock(settings.index_dir), durable.disk_errors(f"replacing {doc_id}"):
        change_journal.recover(settings)
        paths = corpus_paths(settings.corpus_dir)
        documents = load_corpus(settings.corpus_dir)
        if doc_id not in documents:
            raise InvalidDocument(f"no document {doc_id!r}; see `qa-bot list`, or use `qa-bot add`.")
        doc = make_document({**{f: getattr(doc, f) for f in REQUIRED_FIELDS}, "id": doc_id}, doc.body, doc_id)
        if doc == documents[doc_id]:
            raise InvalidDocument(f"{doc_id}: the new version is identical to the current one; nothing to do.")
        _refuse_copies(doc, {k: v for k, v in documents.items() if k != doc_id})
        warnings = near_duplicates(doc, documents, skip=doc_id)
        pending = _pending("replace", doc_id, paths[doc_id].name, to_text(doc))
        return _commit(settings, embedder, pending, doc, documents, who, warnings)


def remove_document(settings: Settings, embedder: Embedder, doc_id: str, who: str | None = None) -> ChangeReport:
    """Remove document `doc_id`; nothing is embedded."""
    with writer_lock(settings.index_dir), durable.disk_errors(f"removing {doc_id}"):
        change_journal.recover(settings)
        paths = corpus_paths(settings.corpus_dir)
        documents = load_corpus(settings.corpus_dir)
        if doc_id not in documents:
            raise InvalidDocument(f"no document {doc_id!r}; see `qa-bot list`.")
        pending = _pending("remove", doc_id, None, None, (paths[doc_id].name,))
        return _commit(settings, embedder, pending, documents[doc_id], documents, who, ())


def slug(text: str) -> str:
    """A document id made from a file name or title."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._").lower()
    return cleaned[:128] or "document"


def _refuse_copies(doc: Document, documents: dict[str, Document]) -> None:
    for other in documents.values():
        if other.body_hash == doc.body_hash:
            raise InvalidDocument(f"{doc.id}: the same text is already in the corpus as {other.id!r}.")


def _pending(
    action: str, doc_id: str, write: str | None, text: str | None, delete: tuple[str, ...] = ()
) -> change_journal.Pending:
    return change_journal.Pending(secrets.token_hex(4), action, doc_id, write, text, delete)


def _commit(
    settings: Settings,
    embedder: Embedder,
    pending: change_journal.Pending,
    doc: Document,
    documents: dict[str, Document],
    who: str | None,
    warnings: Sequence[str],
) -> ChangeReport:
    """Run `pending` as one transaction (qa_bot/change_journal.py); `doc` is the new or removed document."""
    change_journal.begin(settings.corpus_dir, pending)
    try:
        staged = build_locked(settings, embedder, pending.applied_to(documents), publish=False, tag=pending.change_id)
        change = audit.Change(
            when=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            action=pending.action,
            doc_id=doc.id,
            who=who or os.environ.get("QA_BOT_MAINTAINER") or getpass.getuser(),
            content_hash=doc.content_hash,
            title=doc.title,
            reviewed_by=doc.reviewed_by,
            reviewed_on=doc.reviewed_on,
            index_version=staged.version,
            change_id=pending.change_id,
        )
        audit.record(settings.corpus_dir, change)  # the commit point
    except BaseException:
        change_journal.abandon(settings, pending)
        raise
    try:
        change_journal.finish(settings, pending, staged.version)
    except OSError as err:
        raise durable.DiskError(
            f"{pending.action} of {doc.id} is recorded, but could not be completed ({err.strerror or err}): "
            "free some space, then any qa-bot command (e.g. `qa-bot check`) completes it."
        ) from None
    return ChangeReport(change, chunk_counts(settings).get(doc.id, 0), tuple(warnings))


def _shingles(text: str) -> set[int]:
    words = text.lower().split()
    return {hash(" ".join(words[i : i + _SHINGLE])) for i in range(max(1, len(words) - _SHINGLE + 1))}


def differences(settings: Settings, weights_sha256: str) -> list[str]:
    """What differs between the corpus folder and the index in use (empty when they agree)."""
    change_journal.settle(settings)
    try:
        _, manifest, indexed = read_manifest(settings.index_dir)
    except IndexNotBuilt as err:
        return [str(err)]
    return corpus_differences(manifest, indexed, settings, weights_sha256)


def chunk_counts(settings: Settings) -> dict[str, int]:
    """Passages per document in the index in use (empty when there is no index)."""
    try:
        _, manifest, _ = read_manifest(settings.index_dir)
    except IndexNotBuilt:
        return {}
    return dict(Counter(chunk.doc_id for chunk in manifest.chunks))
