"""A maintainer's change as one transaction: a journal of the intent, a commit record, recovery.

    corpus/.pending-change.json    the change in progress: the corpus file to write or delete

A change (qa_bot/corpus_changes.py) runs, under the writer lock:
  1. `begin`: the journal is written (atomically); nothing else has changed yet;
  2. the new index version is staged, complete but not in use;
  3. the history line is appended (qa_bot/audit.py): the commit point;
  4. `finish`: the version is switched in, the corpus file written or deleted, the journal deleted.
A failure before 3 is undone at once (`abandon`). After a crash, the next qa-bot command of any
kind (`settle`, or `recover` in a writer) finishes a committed change or abandons an uncommitted
one: corpus, index and history are then the old or the new state, whole, with one history line per
change that took effect. While a live writer holds the lock, readers accept either state.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from . import audit, durable
from .config import Settings
from .documents import Document, from_text
from .errors import QABotError
from .index_store import WriterBusy, current_version, switch_version, writer_lock

JOURNAL = ".pending-change.json"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Pending:
    """One change in progress: `write` gets `text` (None: the document is removed), `delete` goes."""

    change_id: str
    action: str
    doc_id: str
    write: str | None
    text: str | None
    delete: tuple[str, ...] = ()

    def applied_to(self, documents: dict[str, Document]) -> dict[str, Document]:
        """`documents` as they are once this change took effect."""
        after = {doc_id: doc for doc_id, doc in documents.items() if doc_id != self.doc_id}
        if self.text is not None:
            after[self.doc_id] = from_text(self.text, str(self.write))
        return after


def begin(corpus_dir: Path, pending: Pending) -> None:
    """Record the change as intended, before anything else changes. Call under the writer lock."""
    durable.write_atomic(corpus_dir / JOURNAL, json.dumps(asdict(pending), ensure_ascii=False).encode("utf-8"))


def read(corpus_dir: Path) -> Pending | None:
    """The change in progress (or interrupted), or None."""
    try:
        raw = json.loads((corpus_dir / JOURNAL).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as err:  # cannot happen with atomic writes, unless edited by hand
        raise QABotError(f"{corpus_dir / JOURNAL} is unreadable ({err}); delete it and run `qa-bot build`.") from None
    return Pending(**{**raw, "delete": tuple(raw.get("delete", ()))})


def finish(settings: Settings, pending: Pending, version: str) -> None:
    """Complete a committed change: serve `version`, update the corpus folder, drop the journal."""
    if current_version(settings.index_dir) != version:
        switch_version(settings.index_dir, version)
    if pending.write is not None and pending.text is not None:
        durable.write_atomic(settings.corpus_dir / pending.write, pending.text.encode("utf-8"))
    for name in pending.delete:
        durable.unlink(settings.corpus_dir / name)
    durable.unlink(settings.corpus_dir / JOURNAL)


def abandon(settings: Settings, pending: Pending) -> None:
    """Undo an uncommitted change: its staged version goes, the corpus was never touched."""
    versions = settings.index_dir / "versions"
    if versions.is_dir():
        for staged in versions.glob(f"*-{pending.change_id}"):
            if staged.name != current_version(settings.index_dir):
                durable.remove_tree(staged)
    durable.unlink(settings.corpus_dir / JOURNAL)


def recover(settings: Settings) -> None:
    """Finish or abandon an interrupted change and remove temporary files. Call under the writer lock."""
    for leftover in settings.corpus_dir.glob(".*.tmp[0-9]*"):
        durable.unlink(leftover)
    pending = read(settings.corpus_dir)
    if pending is None:
        return
    change = audit.committed(settings.corpus_dir, pending.change_id)
    if change is None:
        logger.warning("an interrupted %s of %s was not committed; it was undone", pending.action, pending.doc_id)
        abandon(settings, pending)
    else:
        logger.warning("an interrupted %s of %s was committed; it was completed", pending.action, pending.doc_id)
        finish(settings, pending, change.index_version)


def settle(settings: Settings) -> Pending | None:
    """For any command: recover an interrupted change; returns the change a live writer is making."""
    if not (settings.corpus_dir / JOURNAL).exists():
        return None
    try:
        with writer_lock(settings.index_dir), durable.disk_errors("completing an interrupted change"):
            recover(settings)
            return None
    except WriterBusy:
        return read(settings.corpus_dir)


def possible_corpora(settings: Settings, corpus: dict[str, Document]) -> list[dict[str, Document]]:
    """The corpus states a reader may find served: the folder's, and the state after a live change."""
    pending = read(settings.corpus_dir)
    return [corpus] if pending is None else [corpus, pending.applied_to(corpus)]
