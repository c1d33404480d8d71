"""The corpus audit trail: one JSON line per add, replace or remove, appended and fsynced."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

HISTORY_FILE = "HISTORY.jsonl"


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


def record(corpus_dir: Path, change: Change) -> None:
    """Append `change` to the corpus history, durably."""
    with (corpus_dir / HISTORY_FILE).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(asdict(change), ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def history(corpus_dir: Path) -> list[Change]:
    """Every recorded change, oldest first (a line cut short by a crash is skipped)."""
    path = corpus_dir / HISTORY_FILE
    if not path.exists():
        return []
    changes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            changes.append(Change(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return changes
