"""BM25 lexical retrieval (bm25s), saved as .npy arrays and JSON: no pickle."""

from __future__ import annotations

import logging
import re
from functools import cache, lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN

# bm25s sets its own logger to DEBUG on import; keep its messages to warnings and errors.
logging.getLogger("bm25s").setLevel(logging.WARNING)


@cache
def stemmer() -> Stemmer.Stemmer:
    """The English Snowball stemmer that BM25 and the ranker's word matching share."""
    return Stemmer.Stemmer("english")


# bm25s.tokenize's defaults, which build the index: words of two or more word characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_STOP_WORDS = frozenset(STOPWORDS_EN)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """`word`'s stem (cached: questions repeat their words)."""
    return stemmer().stemWord(word)


def tokenize(texts: list[str]) -> list[list[str]]:
    """The terms of each text exactly as `bm25s.tokenize` makes them for the index (lower-cased,
    English stop words dropped, stemmed), without its per-call set-up: questions are tokenized
    several times per answer, and that set-up cost more than the BM25 search itself."""
    return [[stem(w) for w in _TOKEN.findall(text.lower()) if w not in _STOP_WORDS] for text in texts]


class LexicalIndex:
    """A BM25 index over passage texts; `scores` gives every passage's score for a query."""

    def __init__(self, bm25: bm25s.BM25, size: int) -> None:
        self._bm25 = bm25
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        """Index `texts` (passage i is row i)."""
        bm25 = bm25s.BM25()
        tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer(), show_progress=False)
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

    def coverage(self, query: str, rows: np.ndarray) -> np.ndarray:
        """IDF-weighted share of the query's distinct terms found in each passage of `rows` (0 to 1).

        A term that no passage contains weighs as much as the rarest indexed term, so a question
        about something the documents never mention gets a low coverage.
        """
        terms = sorted(set(tokenize([query])[0]))
        found = np.zeros(len(rows), dtype=np.float32)
        if not terms or self.size == 0:
            return found
        matrix = self._bm25.scores
        vocab = self._bm25.vocab_dict
        rarest = float(np.log(1 + (self.size - 0.5) / 1.5))
        total = 0.0
        for term in terms:
            if term not in vocab:
                total += rarest
                continue
            start, end = matrix["indptr"][vocab[term]], matrix["indptr"][vocab[term] + 1]
            weight = float(np.log(1 + (self.size - (end - start) + 0.5) / (end - start + 0.5)))
            total += weight
            postings = matrix["indices"][start:end]  # sorted passage rows containing the term
            places = np.minimum(np.searchsorted(postings, rows), len(postings) - 1)
            found += weight * (postings[places] == rows)
        return found / total
