"""What a message asks, read for measurement and display: its questions, each with a focus and a kind.

A message is read for its asking sentences (`question_parts.asked_sentences`); each has a focus
(`focus.FocusFinder`: its own when it names a document's subject, else the message's, the subject
line counting as asking) and a kind (`question_type.question_kind`). Questions asking the same kind
about the same focus are one. `qa-bot eval` and `bench/liveqa.py` compare the reading with NLM's
annotations (qa_eval/analysis.py). Answers do not depend on it: retrieving for the focus and kind
instead of the message did not carry over from the dev part of the LiveQA messages to its held-out
part (bench/quality_notes.md, issue 15).
"""

from __future__ import annotations

from dataclasses import dataclass

from .focus import Focus, FocusFinder
from .question_parts import asked_sentences
from .question_type import question_kind


@dataclass(frozen=True)
class AskedQuestion:
    """One question of a message: its asking sentence, its kind (`question_type.KINDS`) and its focus
    (None when the message has no content words)."""

    sentence: str
    kind: str
    focus: Focus | None


def read_message(message: str, finder: FocusFinder, subject: str = "", limit: int = 3) -> list[AskedQuestion]:
    """The questions of `message` (with its optional `subject` line), at most `limit`, in order."""
    sentences = asked_sentences(message)
    main = finder.find(message, sentences[-1], subject)
    questions: list[AskedQuestion] = []
    seen: set[tuple[str, str]] = set()
    for sentence in sentences:
        own = finder.find(sentence, sentence)
        focus = own if own is not None and own.doc_ids else main
        kind = question_kind(sentence, " ".join(sentences) + " " + message, subject)
        key = (focus.name.lower() if focus else "", kind)
        if key not in seen:
            seen.add(key)
            questions.append(AskedQuestion(sentence, kind, focus))
    return questions[:limit]
