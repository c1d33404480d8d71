"""The part of a message that asks: a patient's story first, then the question it leads to.

"my MRI says mild cerebellar volume loss what does that mean" asks "what does that mean"; "The
radiologist wrote it on my scan. Is that serious?" asks "Is that serious?". The kind of information
asked (symptoms, treatment, outlook, ...) is read from that part, so that the words of the story
("MRI", "scan") do not make it a question about diagnosis. Only the kind is read from it: the
passages are still retrieved for the whole message, unless it is longer than the model reads
(`within`): then for its asking sentences and as much of the rest as fits.
"""

from __future__ import annotations

import re

_WH = r"what|whats|how|why|which|where|when|who|whose"
_AUX = r"is|are|was|were|am|can|could|does|do|did|will|would|should|shall|may|might|has|have"
_SENTENCE = re.compile(r"(?<=[.?!;])\s+|\n+")
_STARTS_ASKING = re.compile(rf"(?:{_WH}|{_AUX})\b", re.IGNORECASE)
_WH_WORD = re.compile(rf"\b(?:{_WH})\b", re.IGNORECASE)
_LETTER = re.compile(r"\w")


def asked_part(text: str) -> str:
    """The last sentence that asks (ends with "?" or starts with a question word); when it starts as
    a statement ("my MRI says ... what does that mean"), from its last "what/how/why/..." on. The
    whole text when nothing asks."""
    return asked_sentences(text)[-1]


def asked_sentences(text: str) -> list[str]:
    """Every sentence that asks, in order, each trimmed as `asked_part` trims the last; `[text]` when
    nothing asks in a text of several sentences."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if _LETTER.search(s)]
    asking = [s for s in sentences if s.endswith("?") or _STARTS_ASKING.match(s)]
    if len(sentences) > 1 and not asking:
        return [text]  # a passage or a story that asks nothing: all of it counts
    return [_from_question_word(s) for s in asking or sentences or [text]]


def _from_question_word(sentence: str) -> str:
    if _STARTS_ASKING.match(sentence):
        return sentence
    words = list(_WH_WORD.finditer(sentence))
    return sentence[words[-1].start() :] if words else sentence

def within(text: str, limit: int) -> str:
    """`text` when it has at most `limit` characters; else its sentences that ask, then as many of
    its other sentences as fit, in their order in `text`, so that a question at the end of a long
    story is what is retrieved for (the embedding model reads about 1,000 characters)."""
    if len(text) <= limit:
        return text
    sentences = [s.strip() for s in _SENTENCE.split(text) if _LETTER.search(s)]
    asking = [i for i, s in enumerate(sentences) if s.endswith("?") or _STARTS_ASKING.match(s)]
    kept: set[int] = set()
    used = 0
    for i in [*asking, *(i for i in range(len(sentences)) if i not in asking)]:
        if used + len(sentences[i]) + 1 <= limit + 1:
            kept.add(i)
            used += len(sentences[i]) + 1
    return " ".join(sentences[i] for i in sorted(kept)) or text[:limit]


def embedded_part(text: str, limit: int) -> str:
    """What of `text` is embedded: `within(text, limit)` when it has a part that asks (`asked_part`
    differs from it), else all of it (a passage or a story asking nothing is searched whole)."""
    return within(text, limit) if asked_part(text) != text else text
