"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .index_store import StoredIndex

RRF_K = 60


@dataclass(frozen=True)
class Passage:
    """A ranked passage: `text` is `body[start:end]` of document `doc_id`.

    `score` is the cosine similarity of the passage to the query (0 to 1 in practice);
    the order comes from fusing the dense and lexical rankings.
    """

    doc_id: str
    start: int
    end: int
    section: str
    text: str
    score: float


class Retriever:
    """Ranks the passages of one stored index for a query."""

    def __init__(self, stored: StoredIndex, candidates: int = 50) -> None:
        self.stored = stored
        self.candidates = candidates

    def search(self, query: str, query_vector: np.ndarray, limit: int = 10) -> list[Passage]:
        """The `limit` best passages for `query` (whose unit vector is `query_vector`)."""
        chunks = self.stored.manifest.chunks
        if not chunks or limit <= 0:
            return []
        pool = min(self.candidates, len(chunks))
        _, dense_ids = self.stored.vectors.search(query_vector.reshape(1, -1), pool)
        dense_ids = [int(i) for i in dense_ids[0] if i >= 0]
        lexical = self.stored.lexical.scores(query)
        lexical_ids = [int(i) for i in np.argsort(-lexical, kind="stable")[:pool] if lexical[i] > 0]

        fused: dict[int, float] = {}
        for ranking in (dense_ids, lexical_ids):
            for rank, row in enumerate(ranking):
                fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        rows = sorted(fused, key=lambda r: (-fused[r], r))[:limit]
        cosines = self.stored.vectors.reconstruct_batch(np.array(rows, dtype=np.int64)) @ query_vector
        return [self._passage(row, float(cos)) for row, cos in zip(rows, cosines)]

    def _passage(self, row: int, score: float) -> Passage:
        chunk = self.stored.manifest.chunks[row]
        body = self.stored.documents[chunk.doc_id].body
        return Passage(chunk.doc_id, chunk.start, chunk.end, chunk.section, body[chunk.start : chunk.end], score)
