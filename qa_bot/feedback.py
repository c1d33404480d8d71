"""Ratings of answers: a private JSON-lines file that maintainers review with `qa-bot feedback`.

Exactly this is kept, one JSON line per rating in `feedback.jsonl` (mode 0600, its folder 0700):
`when` (UTC, to the second), `question` and `comment` with personal data masked as in the question
log (`qa_bot.personal_data`), or null when the text describes an emergency or a crisis (the bot's
own safety check, `qa_bot.safety`), `quotes` (document id and offsets only: their text is in the
corpus), `rating` (up or down) and `index_version`. Nothing else: no address, browser, account or
session. Ratings older than the retention period are deleted on the first rating of each day and
by `qa-bot prune`.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from .config import Settings
from .errors import InvalidFeedback
from .jsonl import DatedRecords, read_records
from .personal_data import mask_personal_data
from .safety import check

logger = logging.getLogger(__name__)
Rating = Literal["up", "down"]
RATINGS: tuple[Rating, ...] = ("up", "down")
FEEDBACK_FILE = "feedback.jsonl"
DEFAULT_RETENTION_DAYS = 90
MAX_COMMENT_CHARS = 2000
MAX_QUESTION_CHARS = Settings().max_query_chars  # a long message can be rated too
MAX_QUOTES = 10
_files: dict[Path, DatedRecords] = {}
_files_lock = threading.Lock()


@dataclass(frozen=True)
class QuotedPassage:
    """Where a quoted passage lies: `corpus[doc_id].body[start:end]`."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer; `question` and `comment` are None when they told of an emergency."""

    when: str
    question: str | None
    quotes: tuple[QuotedPassage, ...]
    rating: Rating
    comment: str | None
    index_version: str


def record(
    folder: Path,
    question: str,
    rating: str,
    quotes: list[QuotedPassage] | tuple[QuotedPassage, ...] = (),
    comment: str = "",
    index_version: str = "",
    retention_days: int = DEFAULT_RETENTION_DAYS,
    urgent: bool = False,
) -> Feedback:
    """Check a rating and append it to `folder/feedback.jsonl`; raise `InvalidFeedback` saying what to fix.

    `urgent` says the answer carried an emergency or crisis notice: the question is then not kept.
    """
    question = _text(question, "question", MAX_QUESTION_CHARS)
    if not question:
        raise InvalidFeedback("Feedback needs the question that was answered.")
    if rating not in RATINGS:
        raise InvalidFeedback(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}.")
    if len(quotes) > MAX_QUOTES:
        raise InvalidFeedback(f"at most {MAX_QUOTES} quoted passages per answer, not {len(quotes)}.")
    for quote in quotes:
        if not quote.doc_id or not 0 <= quote.start < quote.end:
            raise InvalidFeedback(f"quoted passage {quote} needs a document id and 0 <= start < end.")
    comment = _text(comment, "comment", MAX_COMMENT_CHARS)
    when = datetime.now(UTC).isoformat(timespec="seconds")
    kept_question = None if urgent or check(question).urgent else mask_personal_data(question)
    kept_comment = None if comment and check(comment).urgent else mask_personal_data(comment)
    entry = Feedback(when, kept_question, tuple(quotes), rating, kept_comment, index_version)
    try:
        _file(folder, retention_days).append(asdict(entry))
    except OSError as err:
        raise InvalidFeedback(f"the rating could not be saved ({err.strerror}); please try again later.") from None
    return entry


def read_feedback(folder: Path) -> list[Feedback]:
    """Every rating in `folder`, oldest first; a torn or foreign line is skipped with a warning."""
    entries = []
    for data in read_records(folder / FEEDBACK_FILE):
        try:
            quotes = tuple(QuotedPassage(**q) for q in data.pop("quotes"))
            entries.append(Feedback(quotes=quotes, **data))
        except (KeyError, TypeError):
            logger.warning("%s: a line that is not a rating was skipped: %.80r", folder / FEEDBACK_FILE, data)
    return entries


def prune(folder: Path, retention_days: int) -> int:
    """Delete the ratings older than `retention_days` now; returns how many went."""
    return _file(folder, retention_days).prune()


def _file(folder: Path, retention_days: int) -> DatedRecords:
    """One `DatedRecords` per file, so that appends from all threads share its lock."""
    path = folder / FEEDBACK_FILE
    with _files_lock:
        if path not in _files:
            _files[path] = DatedRecords(path, "when", retention_days)
        _files[path].retention_days = retention_days
        return _files[path]


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidFeedback(f"the {name} must be text.")
    cleaned = unicodedata.normalize("NFC", value).strip()
    if len(cleaned) > limit:
        raise InvalidFeedback(f"the {name} is {len(cleaned):,} characters long; keep it under {limit:,}.")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t" for ch in cleaned):
        raise InvalidFeedback(f"the {name} contains control or unprintable characters; please retype it.")
    return cleaned
