"""Feedback on answers: an append-only JSONL file that maintainers review with `qa-bot feedback`.

One line per rating: when (UTC), the question with e-mail addresses, phone numbers and long
digit runs masked (as in the question log), the quoted passages (document id and
offsets only: their text is in the corpus), up or down, an optional comment, the index version.
Nothing else is kept: no address, no browser, no account.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from .errors import InvalidFeedback
from .jsonl import read_records
from .query_log import mask_personal_data

Rating = Literal["up", "down"]
RATINGS: tuple[Rating, ...] = ("up", "down")
FEEDBACK_FILE = "feedback.jsonl"
MAX_COMMENT_CHARS = 2000
MAX_QUESTION_CHARS = 1000
MAX_QUOTES = 10
_write_lock = threading.Lock()


@dataclass(frozen=True)
class QuotedPassage:
    """Where a quoted passage lies: `corpus[doc_id].body[start:end]`."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Feedback:
    """One rating of one answer."""

    when: str
    question: str
    quotes: tuple[QuotedPassage, ...]
    rating: Rating
    comment: str
    index_version: str


def record(
    folder: Path,
    question: str,
    rating: str,
    quotes: list[QuotedPassage] | tuple[QuotedPassage, ...] = (),
    comment: str = "",
    index_version: str = "",
) -> Feedback:
    """Check a rating and append it to `folder/feedback.jsonl`; raise `InvalidFeedback` saying what to fix."""
    question = mask_personal_data(_text(question, "question", MAX_QUESTION_CHARS))
    if not question:
        raise InvalidFeedback("Feedback needs the question that was answered.")
    if rating not in RATINGS:
        raise InvalidFeedback(f"rating must be one of {', '.join(RATINGS)}, not {rating!r}.")
    if len(quotes) > MAX_QUOTES:
        raise InvalidFeedback(f"at most {MAX_QUOTES} quoted passages per answer, not {len(quotes)}.")
    for quote in quotes:
        if not quote.doc_id or not 0 <= quote.start < quote.end:
            raise InvalidFeedback(f"quoted passage {quote} needs a document id and 0 <= start < end.")
    when = datetime.now(UTC).isoformat(timespec="seconds")
    comment = mask_personal_data(_text(comment, "comment", MAX_COMMENT_CHARS))
    entry = Feedback(when, question, tuple(quotes), rating, comment, index_version)
    line = json.dumps(asdict(entry), ensure_ascii=False) + "\n"
    folder.mkdir(parents=True, exist_ok=True)
    with _write_lock, (folder / FEEDBACK_FILE).open("a", encoding="utf-8") as handle:
        handle.write(line)
    return entry


def read_feedback(folder: Path) -> list[Feedback]:
    """Every rating in `folder`, oldest first; an empty list when there is none yet."""
    entries = []
    for data in read_records(folder / FEEDBACK_FILE):  # a line torn by a crash is skipped with a warning
        data["quotes"] = tuple(QuotedPassage(**q) for q in data["quotes"])
        entries.append(Feedback(**data))
    return entries


def _text(value: object, name: str, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidFeedback(f"the {name} must be text.")
    cleaned = unicodedata.normalize("NFC", value).strip()
    if len(cleaned) > limit:
        raise InvalidFeedback(f"the {name} is {len(cleaned):,} characters long; keep it under {limit:,}.")
    if any(unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch not in "\n\t" for ch in cleaned):
        raise InvalidFeedback(f"the {name} contains control or unprintable characters; please retype it.")
    return cleaned
