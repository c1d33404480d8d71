"""An opt-in log of questions, for maintainers to find gaps in the corpus, without personal data.

Off unless `Settings.query_log` names a file. Each line is one JSON record: the UTC day, the texts
version, the answer's status, the documents quoted with their scores, the safety flags, and the
question with e-mail addresses, links, IP addresses, phone numbers and long digit runs masked.
No IP address, user agent or session is ever received, so none can be written. Questions that
describe an emergency or a crisis are logged by their flags only, never by their words. Records
older than `retention_days` are deleted when the log opens and once a day after.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .answer import Answer
from .config import Settings
from .safety import SafetyCheck
from .texts import texts

logger = logging.getLogger(__name__)

_MASKS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE), "[link]"),
    (re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"), "[ip]"),
)
# A phone number: 7 or more digits with +, spaces, dots, dashes, slashes or brackets, or a leading 0.
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s./()-]{5,}\d(?!\w)")
_LONG_DIGITS = re.compile(r"\d{5,}")
MIN_PHONE_DIGITS = 7


def mask_personal_data(text: str) -> str:
    """`text` with e-mails, links, IP addresses, phone numbers and runs of 5+ digits replaced by labels."""
    for pattern, label in _MASKS:
        text = pattern.sub(label, text)
    text = _PHONE.sub(lambda m: "[phone]" if _looks_like_phone(m.group()) else m.group(), text)
    return _LONG_DIGITS.sub("[number]", text)


def _looks_like_phone(candidate: str) -> bool:
    """7+ digits written with separators, a leading + or a leading 0; a bare run is a `[number]`."""
    enough = sum(map(str.isdigit, candidate)) >= MIN_PHONE_DIGITS
    return enough and (not candidate.isdigit() or candidate.startswith("0"))


class QueryLog:
    """An append-only JSON-lines file of masked questions, pruned to `retention_days`."""

    def __init__(self, path: Path, retention_days: int, clock: Callable[[], datetime] | None = None) -> None:
        if retention_days < 1:
            raise ValueError("retention_days must be 1 or more")
        self.path = path
        self.retention_days = retention_days
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.Lock()
        self._pruned_on: date | None = None

    def record(self, question: str, answer: Answer, safety: SafetyCheck) -> None:
        """Append one record for an answered question; a write failure is logged, never raised."""
        today = self._clock().date()
        entry = {
            "day": today.isoformat(),
            "texts_version": texts().version,
            "status": answer.status,
            "flags": list(safety.flags()),
            "question": None if safety.urgent else mask_personal_data(question),
            "quotes": [{"doc_id": q.doc_id, "score": q.score} for q in answer.quotes],
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        try:
            with self._lock:
                if self._pruned_on != today:
                    self._prune(today)
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as handle:
                    handle.write(line)
        except OSError as err:
            logger.warning("could not write the question log %s: %s", self.path, err)

    def records(self) -> list[dict]:
        """Every readable record, oldest first (for maintainers and tests)."""
        if not self.path.exists():
            return []
        return [r for line in self.path.read_text(encoding="utf-8").splitlines() if (r := _parse(line))]

    def prune(self) -> int:
        """Delete records older than the retention period now; returns how many were deleted."""
        with self._lock:
            return self._prune(self._clock().date())

    def _prune(self, today: date) -> int:
        self._pruned_on = today
        if not self.path.exists():
            return 0
        oldest = (today - timedelta(days=self.retention_days - 1)).isoformat()
        lines = self.path.read_text(encoding="utf-8").splitlines()
        kept = [line for line in lines if (r := _parse(line)) and str(r.get("day", "")) >= oldest]
        if len(kept) == len(lines):
            return 0
        temporary = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in kept)
        os.replace(temporary, self.path)
        logger.info("question log: deleted %d records older than %s", len(lines) - len(kept), oldest)
        return len(lines) - len(kept)


def open_query_log(settings: Settings) -> QueryLog | None:
    """The question log the settings ask for, or None when logging is off (the default)."""
    if settings.query_log is None:
        return None
    return QueryLog(Path(settings.query_log), settings.query_log_retention_days)


def _parse(line: str) -> dict | None:
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None
