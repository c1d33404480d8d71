"""Rows and their scores as BM25's exact top search (`lexical.LexicalIndex.top`) handles them: sorted row sets
merged with their partial scores added, the count-th highest score, and the count best rows (ties to the lowest)."""

from __future__ import annotations

import numpy as np


def merged_rows(rows: np.ndarray, partial: np.ndarray, more_rows: np.ndarray,
                more: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The union of two sorted row sets, each row's two partial scores added."""
    if len(rows) == 0:
        return np.asarray(more_rows), more
    every = np.concatenate([rows, more_rows])
    order = np.argsort(every, kind="stable")  # a merge of the two sorted runs
    every, values = every[order], np.concatenate([partial, more])[order]
    starts = np.flatnonzero(np.concatenate([[True], every[1:] != every[:-1]]))
    return every[starts], np.add.reduceat(values, starts)


def kth_highest(values: np.ndarray, count: int) -> float:
    """The `count`-th highest of `values` (0 when there are fewer)."""
    if len(values) < count:
        return 0.0
    return float(np.partition(values, len(values) - count)[len(values) - count])


def best_rows(rows: np.ndarray, scores: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """The `count` rows of highest positive score, best first, ties to the lowest row; `rows` ascending."""
    positive = scores > 0
    rows, scores = rows[positive], scores[positive]
    if len(rows) > count:
        kth = np.partition(scores, len(scores) - count)[len(scores) - count]
        above = np.flatnonzero(scores > kth)
        tied = np.flatnonzero(scores == kth)[: count - len(above)]  # the lowest rows among the ties
        chosen = np.concatenate([above, tied])
        rows, scores = rows[chosen], scores[chosen]
    order = np.lexsort((rows, -scores))
    return rows[order], scores[order]
