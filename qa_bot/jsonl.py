"""JSON-lines files of records (history, feedback, question log): read past the lines a crash or a full
disk tore, append and rewrite as private (mode 0600) files, and drop records older than a retention period."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from . import durable

logger = logging.getLogger(__name__)


def read_records(path: Path) -> list[dict]:
    """Every JSON object in `path`, one per line, oldest first; a line that is not a whole JSON object
    (cut short by a crash or a full disk) is skipped with a warning naming the file and line."""
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            records.append(record)
        else:
            logger.warning("%s line %d is not a whole record (cut short by a crash?); skipped", path, number)
    return records


def append_private(path: Path, line: str) -> None:
    """Append `line` to `path` (`durable.append_line`), the file readable by its owner only and its
    folder created with mode 0700."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    durable.append_line(path, line, private=True)


def rewrite_private(path: Path, lines: Iterable[str]) -> None:
    """Replace `path` by `lines` (each ending in a newline) at once, readable by its owner only."""
    durable.write_atomic(path, "".join(lines).encode("utf-8"), private=True)


class DatedRecords:
    """A private append-only JSON-lines file whose records carry an ISO date or time in `field`.

    Records older than `retention_days` (and torn lines) are dropped on the first append of each
    day and by `prune`; appends from several threads each land on their own line.
    """

    def __init__(
        self, path: Path, field: str, retention_days: int, clock: Callable[[], datetime] | None = None
    ) -> None:
        if retention_days < 1:
            raise ValueError("retention_days must be 1 or more")
        self.path, self.field, self.retention_days = path, field, retention_days
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._pruned_on: date | None = None

    def today(self) -> date:
        """The current UTC day, by this file's clock."""
        return self._clock().date()

    def append(self, record: dict) -> None:
        """Append one record (raises `OSError` when the disk refuses)."""
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self._lock:
            if self._pruned_on != self.today():
                self._prune()
            append_private(self.path, line)

    def records(self) -> list[dict]:
        """Every whole record, oldest first."""
        return read_records(self.path)

    def prune(self) -> int:
        """Drop the records older than the retention period now; returns how many lines went."""
        with self._lock:
            return self._prune()

    def _prune(self) -> int:
        today = self._pruned_on = self.today()
        if not self.path.exists():
            return 0
        oldest = (today - timedelta(days=self.retention_days - 1)).isoformat()
        lines = self.path.read_text(encoding="utf-8", errors="replace").splitlines()
        kept = [line for line in lines if _day(line, self.field) >= oldest]
        if len(kept) < len(lines):
            rewrite_private(self.path, (line + "\n" for line in kept))
            logger.info("%s: dropped %d records older than %s", self.path, len(lines) - len(kept), oldest)
        return len(lines) - len(kept)


def _day(line: str, field: str) -> str:
    """The ISO day a record's `field` starts with; '' for a torn line or a record without one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return ""
    return str(record.get(field, ""))[:10] if isinstance(record, dict) else ""
