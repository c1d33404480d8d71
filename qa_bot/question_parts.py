"""The part of a message that asks: a patient's story first, then the question it leads to.

"my MRI says mild cerebellar volume loss what does that mean" asks "what does that mean"; "The
radiologist wrote it on my scan. Is that serious?" asks "Is that serious?". The kind of information
asked (symptoms, treatment, outlook, ...) is read from that part, so that the words of the story
("MRI", "scan") do not make it a question about diagnosis. Only the kind is read from it: the
passages are still retrieved for the whole message.
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
    sentences = [s.strip() for s in _SENTENCE.split(text) if _LETTER.search(s)]
    asking = [s for s in sentences if s.endswith("?") or _STARTS_ASKING.match(s)]
    if len(sentences) > 1 and not asking:
        return text  # a passage or a story that asks nothing: all of it counts
    last = (asking or sentences or [text])[-1]
    if _STARTS_ASKING.match(last):
        return last
    words = list(_WH_WORD.finditer(last))
    return last[words[-1].start() :] if words else last
