"""Candidate passages from dense (FAISS) and lexical (BM25) search, ordered by the fitted ranker."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .abbreviations import Abbreviations
from .focus import FocusFinder
from .index_store import StoredIndex
from .ranking import Candidates, Ranker, Scored
from .vector_search import DenseSearch


@dataclass(frozen=True)
class Passage:
    """A ranked passage: `text` is `body[start:end]` of document `doc_id`.

    `score` is the passage's relevance to the query (`CandidateScores.relevance`: its cosine and its
    document title's, 0 to 1 in practice), compared with `Settings.min_relevance` to decide
    `no_match`; the order comes from the fitted ranker. `match` is the ranker's share for the passage
    (`ranking.Scored`): it falls down the order, and the staff search shows it.
    """

    doc_id: str
    start: int
    end: int
    section: str
    text: str
    score: float
    match: float = 0.0


class Retriever:
    """Ranks the passages of one stored index for a query."""

    def __init__(self, stored: StoredIndex, candidates: int, ranker: Ranker) -> None:
        self.stored = stored
        self.ranker = ranker
        self.candidates = candidates
        # Exact torch matrix-vector product for small indexes, FAISS HNSW for large (vector_search.py).
        self._dense = DenseSearch(stored.vectors)

    @cached_property
    def focus(self) -> FocusFinder:
        """The names of this index's documents, which a message's focus is found among (built at the
        first message read, not at load)."""
        return FocusFinder(self.stored.documents, self.stored.lexical)

    @cached_property
    def abbreviations(self) -> Abbreviations:
        """The abbreviations this index's documents give their subjects (built at the first question)."""
        return Abbreviations(self.stored.documents)

    def gather(self, query: str, query_vector: np.ndarray) -> Candidates:
        """The union of the dense and lexical top `candidates`, each row with both of its scores."""
        hits = self.stored.lexical.hits(query, self.candidates)  # every passage scored only for many terms
        lexical_ids = hits.rows
        dense_all, dense_ids = self._dense.search(query_vector, self.candidates, lexical_ids)
        rows = np.unique(np.concatenate([dense_ids, lexical_ids]))
        position = {int(r): i for i, r in enumerate(rows)}
        scores, coverage = hits.at(rows)
        return Candidates(
            rows=rows,
            dense=dense_all[rows],
            lexical=scores,
            coverage=coverage,
            dense_order=np.array([position[int(r)] for r in dense_ids], dtype=np.int64),
            lexical_order=np.array([position[int(r)] for r in lexical_ids], dtype=np.int64),
        )

    def search(self, query: str, query_vector: np.ndarray, limit: int = 10) -> list[Passage]:
        """The `limit` best passages for `query` (whose unit vector is `query_vector`), best first."""
        if not self.stored.manifest.chunks or limit <= 0:
            return []
        found = self.gather(query, query_vector)
        return [self.passage(s) for s in self.ranker.rank(query, query_vector, found, limit)]

    def best_cosine(self, query_vector: np.ndarray) -> float:
        """The highest cosine of the question to any passage (as dense search finds it)."""
        if not self.stored.manifest.chunks:
            return 0.0
        scores, top = self._dense.search(query_vector, 1, np.zeros(0, dtype=np.int64))
        return float(scores[top[0]])

    def cosines(self, query_vector: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The exact cosine of the query to each of `rows`."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        return self._dense.search(query_vector, 1, rows)[0][rows]

    def passage(self, scored: Scored) -> Passage:
        """The passage of index row `scored.row`, carrying its relevance and match."""
        chunk = self.stored.manifest.chunks[scored.row]
        body = self.stored.documents[chunk.doc_id].body
        return Passage(chunk.doc_id, chunk.start, chunk.end, chunk.section, body[chunk.start : chunk.end], scored.score,
                       scored.match)
