"""Orderings to measure ours against: BM25 alone, dense alone and their reciprocal rank fusion, over
the same candidates (`Retriever.gather`) and scored by the same relevance as the product's answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from qa_bot.ranking import Candidates, Scored
from qa_bot.retrieval import Passage, Retriever

Method = Literal["hybrid", "rrf", "dense", "bm25"]
METHODS: tuple[Method, ...] = ("hybrid", "rrf", "dense", "bm25")
RRF_K = 60


def rrf(orders: Sequence[Sequence[int]], k: int = RRF_K) -> list[int]:
    """Reciprocal rank fusion of several rankings of the same items, best first (ties: lowest item)."""
    fused: dict[int, float] = {}
    for order in orders:
        for rank, item in enumerate(order):
            fused[int(item)] = fused.get(int(item), 0.0) + 1.0 / (k + rank + 1)
    return sorted(fused, key=lambda item: (-fused[item], item))


def _baseline(found: Candidates, method: Method, relevance: np.ndarray) -> list[Scored]:
    """The candidates in the order of `method` ("dense", "bm25" or "rrf"), each scored by `relevance`."""
    if method == "dense":
        order = found.dense_order
    elif method == "bm25":
        order = found.lexical_order
    else:
        order = rrf([found.dense_order, found.lexical_order])
    return [Scored(int(found.rows[i]), float(relevance[i])) for i in order]


def ordered(
    retriever: Retriever, query: str, query_vector: np.ndarray, found: Candidates, limit: int, method: Method
) -> list[Passage]:
    """The `limit` first of the gathered candidates `found` by `method`: "hybrid" is the product's ranker."""
    if method == "hybrid":
        ranked = retriever.ranker.rank(query, query_vector, found, limit)
    else:
        ranked = _baseline(found, method, retriever.ranker.scores(query, query_vector, found).relevance)[:limit]
    return [retriever.passage(s) for s in ranked]

