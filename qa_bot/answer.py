"""The one `Answer` every interface renders, built only from document slices and fixed texts."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Literal

from .chunking import Span, paragraphs, sentences
from .documents import Document
from .errors import VerbatimViolation
from .lexical import terms
from .notices import Notice
from .retrieval import Passage
from .texts import texts

Status = Literal["answered", "no_match", "clarify"]


@dataclass(frozen=True)
class Highlight:
    """The sentence of a quote that best matches the question: `body[start:end]`."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Quote:
    """A verbatim passage with its citation and its document's provenance: `publisher` (empty when
    unknown), `review` ("reviewed" by a clinician, "as_published" by a vetted publisher, or
    "unreviewed"; `documents.Document.review`) and `retrieved` (when the text was taken, if known)."""

    text: str
    doc_id: str
    title: str
    source: str
    start: int
    end: int
    score: float
    highlight: Highlight
    publisher: str = ""
    review: str = "unreviewed"
    retrieved: str = ""

    @property
    def provenance(self) -> str:
        """For a page as its publisher published it, who published it and when it was retrieved
        (`texts.toml` as_published_source); empty otherwise."""
        if self.review != "as_published":
            return ""
        return texts().as_published_source.format(publisher=self.publisher, retrieved=self.retrieved or "unknown")


@dataclass(frozen=True)
class Answer:
    """What qa_bot says: quotes from documents, fixed notices, and always the disclaimer.

    `choices` (status "clarify"): the titles of the documents a question could be about, for the
    asker to pick one. `suggestions` (status "no_match"): questions the documents can answer.
    """

    status: Status
    quotes: tuple[Quote, ...] = ()
    notices: tuple[Notice, ...] = ()
    choices: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    disclaimer: str = field(default_factory=lambda: texts().disclaimer)

    def to_dict(self) -> dict:
        """Plain JSON-ready form with the public field names."""
        data = asdict(self)
        data["quotes"] = [dict(q) for q in data["quotes"]]
        data["notices"] = [dict(n) for n in data["notices"]]
        data["choices"] = list(data["choices"])
        data["suggestions"] = list(data["suggestions"])
        return data


@dataclass(frozen=True)
class SearchHit:
    """A ranked passage for support staff: `text` is `body[start:end]`, with its citation, section,
    the sentence that best matches the query, and its document's publisher ("" when unknown) and
    review status (`documents.Document.review`).

    `match` (0 to 1) is the score staff see and the results' order: the ranker's share for this
    passage among the distinct passages found (`ranking.Scored`); the shares of all passages found
    sum to 1. `relevance` is the passage's relevance (`retrieval.Passage.score`), which decides
    whether it is listed at all (`Settings.search_min_relevance`); it need not fall down the list."""

    doc_id: str
    title: str
    source: str
    section: str
    start: int
    end: int
    match: float
    relevance: float
    text: str
    highlight: Highlight
    publisher: str = ""
    review: str = "unreviewed"

    @property
    def match_percent(self) -> str:
        """`match` as staff read it: "62%", "<1%" for a small share above 0."""
        return "<1%" if 0 < self.match < 0.005 else f"{self.match:.0%}"


@dataclass(frozen=True)
class SearchResults:
    """The staff search's answer: the query as the bot read it, and its passages, best first."""

    query: str
    hits: tuple[SearchHit, ...]


def search_results(query: str, passages: list[Passage], documents: dict[str, Document]) -> SearchResults:
    """`passages` with their citations and highlighted sentences."""
    hits = []
    for p in passages:
        doc = documents[p.doc_id]
        mark = _highlight(query, doc, p)
        hits.append(SearchHit(p.doc_id, doc.title, doc.source, p.section, p.start, p.end, round(p.match, 4),
                              round(p.score, 4), doc.body[p.start : p.end], mark, doc.publisher, doc.review))
    return SearchResults(query, tuple(hits))


def build_answer(
    question: str, passages: list[Passage], documents: dict[str, Document], min_relevance: float, max_quotes: int
) -> Answer:
    """Quote the relevant passages, or say plainly that nothing relevant was found."""
    relevant = [p for p in passages if p.score >= min_relevance][:max_quotes]
    if not relevant:
        return Answer(status="no_match", notices=(Notice("no_match", texts().no_match),))
    quotes = tuple(_quote(question, p, documents[p.doc_id]) for p in relevant)
    unreviewed = any(not documents[q.doc_id].vetted for q in quotes)  # one notice, however many quotes
    notices = (Notice("unreviewed", texts().unreviewed_source),) if unreviewed else ()
    answer = Answer(status="answered", quotes=quotes, notices=notices)
    verify_verbatim(answer, documents)
    return answer


def verify_verbatim(answer: Answer, documents: dict[str, Document]) -> None:
    """Raise `VerbatimViolation` unless every quote and highlight is an exact document slice."""
    for quote in answer.quotes:
        body = documents[quote.doc_id].body
        if body[quote.start : quote.end] != quote.text:
            raise VerbatimViolation(f"quote {quote.doc_id}[{quote.start}:{quote.end}] is not verbatim")
        mark = quote.highlight
        if body[mark.start : mark.end] != mark.text or not quote.start <= mark.start <= mark.end <= quote.end:
            raise VerbatimViolation(f"highlight {quote.doc_id}[{mark.start}:{mark.end}] is not inside its quote")


def best_sentence(question: str, body: str, span: Span) -> Span:
    """The sentence of `body[span]` sharing the most question terms (ties: the earliest)."""
    wanted = set(terms(question))
    candidates = [s for para in paragraphs(body[: span.end]) if para.end > span.start for s in sentences(body, para)]
    candidates = [s for s in candidates if s.start >= span.start] or [span]
    sentence_terms = [terms(body[s.start : s.end]) for s in candidates]

    def overlap(i: int) -> float:
        terms = sentence_terms[i]
        return len(wanted.intersection(terms)) / math.sqrt(len(terms) + 1)

    return candidates[max(range(len(candidates)), key=lambda i: (overlap(i), -i))]


def _highlight(question: str, doc: Document, passage: Passage) -> Highlight:
    mark = best_sentence(question, doc.body, Span(passage.start, passage.end))
    return Highlight(doc.body[mark.start : mark.end], mark.start, mark.end)


def _quote(question: str, passage: Passage, doc: Document) -> Quote:
    return Quote(
        text=doc.body[passage.start : passage.end],
        doc_id=doc.id,
        title=doc.title,
        source=doc.source,
        start=passage.start,
        end=passage.end,
        score=round(passage.score, 4),
        highlight=_highlight(question, doc, passage),
        publisher=doc.publisher,
        review=doc.review,
        retrieved=doc.retrieved,
    )
