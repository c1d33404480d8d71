"""The evaluation data (the MedQuAD export of ../shared/eval/README.md, or a maintainer's own questions)
and cached eval indexes."""

from __future__ import annotations

import json
import logging
import re
import zlib
from dataclasses import dataclass, replace
from pathlib import Path

from qa_bot.config import Settings
from qa_bot.documents import Document, corpus_fingerprint, make_document
from qa_bot.embedding import Embedder
from qa_bot.errors import IndexNotBuilt, InvalidDocument
from qa_bot.index_store import StoredIndex, current_version, read_index
from qa_bot.indexing import build_index, compare_index
from qa_bot.lexical import content_words
from qa_bot.vector_search import is_approximate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    """Characters `[start, end)` of document `doc_id` that answer a question."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Question:
    """One evaluation question; no relevant documents means it must be refused (`no_match`).

    `subject` is the subject line of a message, when its file gives one; `annotations` are the
    (focus, kind of question) pairs annotated for it (LiveQA's `subquestions`), when given.
    """

    qid: str
    text: str
    relevant_doc_ids: tuple[str, ...]
    answer_passages: tuple[Span, ...]
    related_doc_ids: tuple[str, ...] = ()
    subject: str = ""
    annotations: tuple[tuple[str, str], ...] = ()

    @property
    def answerable(self) -> bool:
        """True when the corpus is expected to hold an answer."""
        return bool(self.relevant_doc_ids)


def overlaps(span: Span, doc_id: str, start: int, end: int) -> bool:
    """True when `span` shares at least one character with `[start, end)` of document `doc_id`."""
    return span.doc_id == doc_id and span.start < end and start < span.end


def _read_jsonl(path: Path) -> list[dict]:
    if not path.is_file():
        raise InvalidDocument(f"{path} does not exist; give a JSON-lines file, one JSON object a line.")
    records = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                records.append(json.loads(line))
            except ValueError as err:
                raise InvalidDocument(f"{path}, line {number}: not JSON ({err}); fix or remove the line.") from None
    return records


def load_documents(path: Path) -> dict[str, Document]:
    """Documents of an eval `docs.jsonl`: `text` becomes the body unchanged, so spans stay valid."""
    documents: dict[str, Document] = {}
    for record in _read_jsonl(path):
        meta = {
            "id": record["id"],
            "title": record["title"],
            "source": record.get("url") or record.get("source_collection") or "unknown",
            "reviewed_by": f"{record.get('source_collection', 'unknown')} (NIH), via MedQuAD",
            "reviewed_on": "not reviewed",
            "license": "CC BY 4.0",
        }
        documents[record["id"]] = make_document(meta, record["text"], origin=f"{path}: {record['id']}")
    return documents


def _name(text: str) -> frozenset[str]:
    """A condition's name compared loosely: its lower-case words without "type" and possessives."""
    return frozenset(re.findall(r"[a-z0-9]+", re.sub(r"'s\b", "", text.lower()))) - {"type"}


def load_namesakes(path: Path) -> dict[str, frozenset[str]]:
    """For each document of an eval `docs.jsonl`, the other documents on the same condition by name:
    one's title is the other's title or one of its `synonyms` ("Kawasaki syndrome" lists "Kawasaki
    disease"; "Spinocerebellar ataxia 3" is "spinocerebellar ataxia type 3")."""
    records = _read_jsonl(path)
    by_title: dict[frozenset[str], set[str]] = {}
    for r in records:
        by_title.setdefault(_name(r["title"]), set()).add(r["id"])
    namesakes: dict[str, set[str]] = {r["id"]: set() for r in records}
    for r in records:
        for name in {_name(r["title"]), *map(_name, r.get("synonyms", ()))} - {frozenset()}:
            for other in by_title.get(name, ()):
                if other != r["id"]:
                    namesakes[r["id"]].add(other)
                    namesakes[other].add(r["id"])
    return {d: frozenset(others) for d, others in namesakes.items()}


def load_questions(path: Path) -> list[Question]:
    """Questions of a JSON-lines file: the eval `questions*.jsonl` (`qid`, `question`, `relevant_doc_ids`,
    `answer_passages`, `same_focus_doc_ids`), or a maintainer's `{"question": ..., "doc_ids": [...]}`
    with the ids of the documents that answer it (and optionally `subject`), or LiveQA's messages
    (`message`, `subject`, `subquestions` with `focus` and `type`; an empty message is its subject).
    No relevant documents marks a question that must be refused."""
    return [_question(r, f"{path}, question {n}") for n, r in enumerate(_read_jsonl(path), start=1)]


def _question(record: dict, origin: str) -> Question:
    text = record.get("question", record.get("message") or record.get("subject")) if isinstance(record, dict) else None
    if not isinstance(text, str) or not text.strip():
        raise InvalidDocument(f'{origin}: no "question" text; write {{"question": "...", "doc_ids": ["id", ...]}}.')
    doc_ids = record.get("doc_ids", record.get("relevant_doc_ids", []))
    if not isinstance(doc_ids, list) or not all(isinstance(d, str) for d in doc_ids):
        raise InvalidDocument(f'{origin}: "doc_ids" must be a list of document ids ([] for a question to refuse).')
    return Question(
        qid=str(record.get("qid", origin)),
        text=text,
        relevant_doc_ids=tuple(doc_ids),
        answer_passages=tuple(Span(p["doc_id"], p["start"], p["end"]) for p in record.get("answer_passages", ())),
        related_doc_ids=tuple(record.get("same_focus_doc_ids", ())),
        subject=str(record.get("subject", "")),
        annotations=tuple(
            (str(a.get("focus", "")), str(a.get("type", "")).lower()) for a in record.get("subquestions", ())
        ),
    )


def held_out_ids(documents: dict[str, Document], percent: int, offset: int = 0) -> frozenset[str]:
    """A fixed pseudo-random `percent`% of document ids, left out of the index: those whose CRC32
    modulo 100 is in `[offset, offset + percent)` (disjoint sets for disjoint ranges)."""
    return frozenset(d for d in documents if offset <= zlib.crc32(d.encode()) % 100 < offset + percent)


def split_for_abstention(
    questions: list[Question], held_out: frozenset[str], namesakes: dict[str, frozenset[str]] | None = None
) -> tuple[list[Question], list[Question]]:
    """Questions still answerable without `held_out`, and those made unanswerable by leaving it out.

    A question becomes unanswerable only when its relevant documents, the other documents on the
    same topic and the documents `namesakes` maps them to (`load_namesakes`, or `named_alike`) are
    all held out; questions with some but not all of them left out are dropped.
    """
    namesakes = namesakes or {}
    answerable, unanswerable = [], []
    for q in questions:
        linked = set(q.relevant_doc_ids) | set(q.related_doc_ids)
        linked |= {other for d in linked for other in namesakes.get(d, ())}
        if not linked & held_out:
            answerable.append(q)
        elif linked <= held_out:
            unanswerable.append(replace(q, relevant_doc_ids=(), answer_passages=()))
    return answerable, unanswerable


def title_variants(documents: dict[str, Document]) -> dict[str, frozenset[str]]:
    """For each document, the others on a variant of its condition by name: the content words of
    one title, two or more of them, are all in the other's ("Niemann-Pick disease" and
    "Niemann-Pick disease type A"; "Diffuse gastric cancer" and "hereditary diffuse gastric cancer").
    Words in brackets, an abbreviation or a source ("LAMM", "NINDS"), are no part of the name."""
    titles = {d: content_words(re.sub(r"\([^)]*\)", " ", doc.title)) for d, doc in documents.items()}
    by_word: dict[str, list[str]] = {}
    for d, words in titles.items():
        for w in words:
            by_word.setdefault(w, []).append(d)
    variants: dict[str, set[str]] = {d: set() for d in documents}
    for d, words in titles.items():
        if len(words) >= 2:
            rarest = min(words, key=lambda w: len(by_word[w]))
            for other in by_word[rarest]:
                if other != d and words <= titles[other]:
                    variants[d].add(other)
                    variants[other].add(d)
    return {d: frozenset(others) for d, others in variants.items()}


def named_alike(documents: dict[str, Document], namesakes: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """For each document, its `namesakes` and its `title_variants`: the pages that answer, at least in
    part, a question about its condition."""
    return {d: namesakes.get(d, frozenset()) | others for d, others in title_variants(documents).items()}


def document_groups(
    documents: dict[str, Document], questions: list[Question], namesakes: dict[str, frozenset[str]] | None = None
) -> dict[str, str]:
    """Each document's group: documents on the same condition, or on a variant of it, share one.

    Two documents are in one group when a question links them (its relevant and same-focus
    documents), when they are `namesakes` (`load_namesakes`) or `title_variants`. A group is named
    by its smallest id.
    """
    parent = {d: d for d in documents}

    def root(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)

    for q in questions:
        linked = [d for d in (*q.relevant_doc_ids, *q.related_doc_ids) if d in parent]
        for d in linked[1:]:
            join(linked[0], d)
    for d, others in named_alike(documents, namesakes or {}).items():
        for other in others:
            if other in parent:
                join(d, other)
    return {d: root(d) for d in documents}


def held_out_groups(groups: dict[str, str], percent: int) -> frozenset[str]:
    """The documents of a fixed pseudo-random `percent`% of the groups (by CRC32 of the group name)."""
    return frozenset(d for d, g in groups.items() if zlib.crc32(g.encode()) % 100 < percent)


def cached_index(
    documents: dict[str, Document], cache_dir: Path, embedder: Embedder, settings: Settings
) -> StoredIndex:
    """The index of `documents` under `cache_dir`, built once per corpus fingerprint.

    Every index under `cache_dir` shares one embedding cache, so a subset of the documents is
    indexed without embedding anything again. An index built with another model, chunking or kind
    of vector search (exact or HNSW, by `Settings.hnsw_min_passages`) is rebuilt.
    """
    fingerprint = corpus_fingerprint(documents)
    index_dir = cache_dir / f"index-{fingerprint[:16]}"
    shared = cache_dir / "embeddings"
    shared.mkdir(parents=True, exist_ok=True)
    index_dir.mkdir(parents=True, exist_ok=True)
    if not (index_dir / "embeddings").exists():
        (index_dir / "embeddings").symlink_to(shared.resolve(), target_is_directory=True)
    index_settings = replace(settings, index_dir=index_dir)
    if current_version(index_dir) is not None:
        try:
            stored = read_index(index_dir)
        except IndexNotBuilt:
            stored = None
        if stored is not None:
            match = compare_index(stored.manifest, stored.documents, settings, embedder.weights_sha256, documents)
            large = stored.vectors.ntotal >= settings.hnsw_min_passages
            if match.fresh and is_approximate(stored.vectors) == large:
                return stored
    logger.info("indexing %d documents into %s", len(documents), index_dir)
    build_index(index_settings, embedder, documents, show_progress=True)
    return read_index(index_dir)
