"""An opt-in log of questions, for maintainers to find gaps in the corpus.

Off unless `Settings.query_log` names a file. Exactly this is kept, one JSON line per answered
question: `day` (the UTC date, no time), `texts_version`, the answer's `status`, `quotes` (the
documents quoted and their scores), the safety `flags`, and `question`: the question with its
personal data masked (`qa_bot.personal_data`: e-mails, also written out, links, IP addresses, phone
numbers, runs of 5+ digits, street addresses and introduced names), or null when it describes an
emergency or a crisis (then only its flags say so). No IP address, user agent or session is ever
received, so none can be written. The file is readable by its owner only (mode 0600); records
older than `retention_days` are deleted when the log first writes each day, and by `qa-bot prune`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from .answer import Answer
from .config import Settings
from .jsonl import DatedRecords
from .personal_data import mask_personal_data
from .safety_reading import SafetyCheck
from .texts import texts

logger = logging.getLogger(__name__)


class QueryLog:
    """An append-only JSON-lines file of masked questions, pruned to `retention_days`."""

    def __init__(self, path: Path, retention_days: int, clock: Callable[[], datetime] | None = None) -> None:
        self._file = DatedRecords(path, "day", retention_days, clock)
        self.path = path
        self.retention_days = retention_days

    def record(self, question: str, answer: Answer, safety: SafetyCheck) -> None:
        """Append one record for an answered question; a write failure is logged, never raised."""
        entry = {
            "day": self._file.today().isoformat(),
            "texts_version": texts().version,
            "status": answer.status,
            "flags": list(safety.flags()),
            "question": None if safety.urgent else mask_personal_data(question),
            "quotes": [{"doc_id": q.doc_id, "score": q.score} for q in answer.quotes],
        }
        try:
            self._file.append(entry)
        except OSError as err:
            logger.warning("could not write the question log %s: %s", self.path, err)

    def records(self) -> list[dict]:
        """Every readable record, oldest first (for maintainers and tests)."""
        return self._file.records()

    def prune(self) -> int:
        """Delete records older than the retention period now; returns how many were deleted."""
        return self._file.prune()


def open_query_log(settings: Settings) -> QueryLog | None:
    """The question log the settings ask for, or None when logging is off (the default)."""
    if settings.query_log is None:
        return None
    return QueryLog(Path(settings.query_log), settings.query_log_retention_days)
