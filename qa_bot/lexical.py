"""BM25 lexical retrieval (bm25s), saved as .npy arrays and JSON: no pickle."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

# bm25s sets its own logger to DEBUG on import; keep its messages to warnings and errors.
logging.getLogger("bm25s").setLevel(logging.WARNING)


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lower-case, drop English stop words and stem, the same way for passages and queries."""
    return bm25s.tokenize(
        texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )


class LexicalIndex:
    """A BM25 index over passage texts; `scores` gives every passage's score for a query."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        """Index `texts` (passage i is row i)."""
        bm25 = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), show_progress=False)
        bm25.index(tokens, show_progress=False)
        return cls(bm25, len(texts))

    def save(self, folder: Path) -> None:
        """Write the index into `folder` as .npy and .json files."""
        self._bm25.save(str(folder), show_progress=False)
        (folder / "size.json").write_text(str(self.size))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load an index written by `save`."""
        size = int((folder / "size.json").read_text())
        return cls(bm25s.BM25.load(str(folder), mmap=False), size)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for `query` (zeros when no query term is indexed)."""
        terms = tokenize([query])[0]
        if not terms or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)
