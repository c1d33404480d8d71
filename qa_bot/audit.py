"""The corpus audit trail: one JSON line per add, replace or remove, appended and fsynced.

The line is a change's commit record (qa_bot/change_journal.py): a change took effect exactly when
its line is in the file, so the history has one line per change that took effect.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from . import durable
from .jsonl import read_records

HISTORY_FILE = "HISTORY.jsonl"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """Who changed which document, when, to what content, and who had reviewed it."""

    when: str
    action: str
    doc_id: str
    who: str
    content_hash: str
    title: str
    reviewed_by: str
    reviewed_on: str
    index_version: str
    change_id: str = ""  # ties the line to its journal entry; empty in lines written before journals


def record(corpus_dir: Path, change: Change) -> None:
    """Append `change` to the corpus history, durably; a failed write leaves no part of the line."""
    durable.append_line(corpus_dir / HISTORY_FILE, json.dumps(asdict(change), ensure_ascii=False))


def history(corpus_dir: Path) -> list[Change]:
    """Every recorded change, oldest first (a line cut short by a crash is skipped with a warning)."""
    names = {f.name for f in fields(Change)}
    changes = []
    for raw in read_records(corpus_dir / HISTORY_FILE):
        try:
            changes.append(Change(**{k: v for k, v in raw.items() if k in names}))
        except TypeError:
            logger.warning("%s: a record without the fields of a change was skipped: %r", HISTORY_FILE, raw)
    return changes


def committed(corpus_dir: Path, change_id: str) -> Change | None:
    """The recorded change with `change_id`, or None when it was never committed."""
    return next((c for c in history(corpus_dir) if change_id and c.change_id == change_id), None)
