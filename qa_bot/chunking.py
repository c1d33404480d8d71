"""Split a document body into passages of whole sentences with exact character offsets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# A sentence ends at . ! ? (plus closing quotes or brackets) followed by whitespace.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")
_ABBREVIATIONS = frozenset(
    ["e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "prof", "st", "fig", "approx", "ca", "al", "inc", "jr", "sr"]
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_HEADING = re.compile(r"^#{1,6}[ \t]+(.+?)[ \t#]*$")


@dataclass(frozen=True)
class Span:
    """A half-open character range `[start, end)` of a document body."""

    start: int
    end: int


@dataclass(frozen=True)
class Chunk:
    """A passage: `body[start:end]`, with the section heading it sits under ('' if none)."""

    start: int
    end: int
    section: str


def paragraphs(body: str) -> Iterator[Span]:
    """Yield the non-blank paragraphs of `body`, split at blank lines, trimmed of whitespace."""
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(body), None]:
        end = match.start() if match else len(body)
        yield from _trimmed(body, position, end)
        position = match.end() if match else len(body)


def sentences(body: str, span: Span) -> list[Span]:
    """Split one paragraph into sentences; each keeps its exact offsets, whitespace trimmed."""
    found: list[Span] = []
    start = span.start
    for match in _SENTENCE_END.finditer(body, span.start, span.end):
        word = body[start : match.start()].rsplit(None, 1)[-1:] or [""]
        if word[0].lower().rstrip(".") in _ABBREVIATIONS or _is_initial(word[0]):
            continue
        found.extend(_trimmed(body, start, match.end()))
        start = match.end()
    found.extend(_trimmed(body, start, span.end))
    return found


def chunk_document(
    body: str,
    count_tokens: Callable[[str], int],
    max_tokens: int = 200,
    overlap_sentences: int = 0,
    additive: bool = False,
) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_tokens`, never crossing a paragraph.

    A heading line (Markdown `#`) starts a new section and is kept as the chunks' `section`.
    A single sentence longer than `max_tokens` is cut at word boundaries.

    `additive` says that no token of `count_tokens` spans whitespace (BERT word pieces), so the
    count of sentences joined by whitespace is the sum of their counts: each sentence is then
    counted once instead of every growing group being counted again. The chunks are the same.
    """
    counter = _Counter(body, count_tokens, additive)
    chunks: list[Chunk] = []
    section = ""
    for para in paragraphs(body):
        heading = _HEADING.match(body[para.start : para.end])
        if heading and "\n" not in body[para.start : para.end]:
            section = heading.group(1)
            continue
        units = [piece for sent in sentences(body, para) for piece in _fit(body, sent, counter, max_tokens)]
        chunks.extend(Chunk(s.start, s.end, section) for s in _pack(units, counter, max_tokens, overlap_sentences))
    return chunks


class _Counter:
    """Token counts of runs of consecutive units (sentences or words) of one body."""

    def __init__(self, body: str, count_tokens: Callable[[str], int], additive: bool) -> None:
        self._body = body
        self._count = count_tokens
        self._additive = additive
        self._specials = count_tokens("") if additive else 0  # [CLS] and [SEP], counted once per text
        self._known: dict[Span, int] = {}

    def span(self, span: Span) -> int:
        """Tokens of `body[span]`."""
        if span not in self._known:
            self._known[span] = self._count(self._body[span.start : span.end])
        return self._known[span]

    def runs(self, units: list[Span]) -> Callable[[int, int], int]:
        """A function giving the tokens of `units[first]` to `units[last]` joined as in the body."""
        if not self._additive:
            return lambda first, last: self.span(Span(units[first].start, units[last].end))
        totals = [0]
        for unit in units:
            totals.append(totals[-1] + self.span(unit) - self._specials)
        return lambda first, last: totals[last + 1] - totals[first] + self._specials


def _pack(units: list[Span], counter: _Counter, max_tokens: int, overlap: int) -> Iterator[Span]:
    """Greedily group consecutive units while the joined text fits in `max_tokens`."""
    tokens = counter.runs(units)
    first = 0
    while first < len(units):
        last = first
        while last + 1 < len(units) and tokens(first, last + 1) <= max_tokens:
            last += 1
        yield Span(units[first].start, units[last].end)
        if last + 1 >= len(units):
            return
        first = max(last + 1 - overlap, first + 1)


def _fit(body: str, span: Span, counter: _Counter, max_tokens: int) -> list[Span]:
    """Cut an over-long sentence into word-aligned pieces that each fit `max_tokens`."""
    if counter.span(span) <= max_tokens:
        return [span]
    words = [Span(m.start(), m.end()) for m in re.finditer(r"\S+", body[span.start : span.end])]
    words = [Span(span.start + w.start, span.start + w.end) for w in words]
    return list(_pack(words, counter, max_tokens, 0))


def _trimmed(body: str, start: int, end: int) -> Iterator[Span]:
    """Yield `[start, end)` without surrounding whitespace, or nothing if it is blank."""
    text = body[start:end]
    stripped = text.strip()
    if stripped:
        offset = start + len(text) - len(text.lstrip())
        yield Span(offset, offset + len(stripped))


def _is_initial(word: str) -> bool:
    """True for a single capital letter such as the 'J' in 'J. Smith'."""
    return len(word) == 1 and word.isupper()
