"""Terms and BM25: the one tokenizer of the package, and BM25 scores read from .npy arrays (no pickle).

`terms` is the only tokenizer: BM25's index, its queries, the ranker's title matching and the
highlighted sentence all use it. An index is built by `bm25s` (imported only then) and saved in its
format (the precomputed BM25 weight of every term in every passage, as a sparse column matrix);
answering reads those arrays with numpy alone, which gives exactly bm25s's scores.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import Stemmer

from .errors import IndexNotBuilt
from .score_rows import best_rows, kth_highest, merged_rows

if TYPE_CHECKING:
    import bm25s

# Every run of word characters: single letters and digits name variants ("type 2", "hepatitis B").
TOKEN_PATTERN = r"(?u)\b\w+\b"
_TOKEN = re.compile(TOKEN_PATTERN)
# bm25s's English stop words, the words questions are made of ("what", "how", "can", "my", "i"),
# and what is left of "Parkinson's" and "don't". These are the words the ranker's title matching
# always ignored (its weights were fitted so); BM25 ignores them too.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not"}
    | {"of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was"}
    | {"will", "with"}
    | {"can", "do", "does", "how", "i", "its", "my", "what"}
    | {"s", "t"}
)
_ARRAYS = ("data", "indices", "indptr")
TERM_MAX = "term_max.npy"


@cache
def stemmer() -> Stemmer.Stemmer:
    """The English Snowball stemmer behind every term."""
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """`word`'s stem (cached: questions repeat their words)."""
    return stemmer().stemWord(word)


def terms(text: str) -> list[str]:
    """The terms of `text`: lower-cased words, stop words dropped, stemmed (what `bm25s.tokenize`
    makes with `TOKEN_PATTERN`, `STOP_WORDS` and `stemmer()`, without its per-call set-up)."""
    return [stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOP_WORDS]


def content_words(text: str) -> frozenset[str]:
    """The distinct terms of `text` (`terms`, as BM25 has them)."""
    return frozenset(terms(text))


def tokenized(texts: list[str]) -> bm25s.tokenization.Tokenized:
    """`texts` as term ids and their vocabulary, by `bm25s.tokenize` with the same terms as `terms`
    (bm25s is imported here only: answering never needs it)."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG
    return bm25s.tokenize(
        texts, stopwords=sorted(STOP_WORDS), stemmer=stemmer(), token_pattern=TOKEN_PATTERN, show_progress=False
    )


class LexicalIndex:
    """BM25 over passages: `scores` gives every passage's score for a query, `coverage` the share of
    its terms each passage contains. Built by bm25s, read back as plain arrays."""

    def __init__(self, matrix: dict[str, np.ndarray], vocab: dict[str, int], size: int,
                 term_max: np.ndarray | None = None) -> None:
        self._data, self._indices, self._indptr = (matrix[name] for name in _ARRAYS)
        self._vocab = vocab
        self.size = size
        # Each term's highest weight in any passage: the bound that lets `top` skip passages.
        # Saved with the index; an index saved without it gets each term's bound on first use.
        self._term_max = term_max
        self._found_max: dict[int, float] = {}

    @classmethod
    def build(cls, texts: list[str]) -> LexicalIndex:
        """Index `texts` (passage i is row i)."""
        tokens = tokenized(texts)
        return cls.from_ids(tokens.ids, tokens.vocab, len(texts))

    @classmethod
    def from_ids(cls, ids: Iterable[list[int]], vocab: dict[str, int], size: int) -> LexicalIndex:
        """Index passages given as term ids of `vocab` (the form `bm25s.tokenize` returns)."""
        import bm25s

        bm25 = bm25s.BM25()
        bm25.index(bm25s.tokenization.Tokenized(ids=list(ids), vocab=vocab), show_progress=False)
        return cls(bm25.scores, bm25.vocab_dict, size)

    def save(self, folder: Path) -> None:
        """Write the index into `folder` as .npy arrays and JSON."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, array in zip(_ARRAYS, (self._data, self._indices, self._indptr), strict=True):
            np.save(folder / f"{name}.npy", array)
        np.save(folder / TERM_MAX, self.term_maxima())
        (folder / "vocab.json").write_text(json.dumps(self._vocab, ensure_ascii=False))
        (folder / "size.json").write_text(str(self.size))

    def term_maxima(self) -> np.ndarray:
        """Every term's highest weight in any passage (0 for a term in none), float32 by term number."""
        lengths = np.diff(self._indptr)
        maxima = np.zeros(len(lengths), dtype=np.float32)
        present = lengths > 0
        if present.any():
            maxima[present] = np.maximum.reduceat(self._data, self._indptr[:-1][present])
        return maxima

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load an index written by `save` (its arrays memory-mapped)."""
        try:
            # Plain ndarray views of the maps: np.memmap's subclass hooks cost more than the slicing itself.
            matrix = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                      for name in _ARRAYS}
            vocab = json.loads((folder / "vocab.json").read_text())
            size = int((folder / "size.json").read_text())
            # Absent from indexes saved before it was: their bounds are found term by term.
            bounds = folder / TERM_MAX
            term_max = np.load(bounds, allow_pickle=False) if bounds.is_file() else None
        except (OSError, ValueError) as err:
            raise IndexNotBuilt(f"The BM25 index in {folder} is unreadable ({err}). Run `qa-bot build`.") from None
        if term_max is not None and term_max.shape != (len(matrix["indptr"]) - 1,):
            raise IndexNotBuilt(f"The BM25 index in {folder} has {term_max.shape} term bounds for "
                                f"{len(matrix['indptr']) - 1} terms. Run `qa-bot build`.")
        return cls(matrix, vocab, size, term_max)

    def has(self, term: str) -> bool:
        """Whether `term` is in the vocabulary (every term some passage contains is), without counting passages."""
        return term in self._vocab

    def passages_with(self, term: str) -> int:
        """How many passages contain `term` (a stemmed term, as `terms` gives; 0 when none does)."""
        number = self._vocab.get(term)
        return 0 if number is None else int(self._indptr[number + 1] - self._indptr[number])

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for `query` (zeros when no query term is indexed)."""
        ids = [self._vocab[t] for t in terms(query) if t in self._vocab]
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        spans = [slice(self._indptr[i], self._indptr[i + 1]) for i in ids]
        rows = np.concatenate([self._indices[s] for s in spans])
        weights = np.concatenate([self._data[s] for s in spans])
        return np.bincount(rows, weights, minlength=self.size).astype(np.float32)

    def at_rows(self, query: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`(scores(query)[rows], coverage(query, rows))`, float32, reading only the query terms' postings
        at `rows`, each once."""
        rows = np.asarray(rows, dtype=self._indices.dtype)
        query_terms = terms(query)
        counted = self._counted(query_terms)
        found = {number: self._found_at(number, rows) for number, _ in counted}
        total = np.zeros(len(rows), dtype=np.float64)
        for number, times in counted:
            total += times * found[number][1]
        return total.astype(np.float32), self._coverage(query_terms, found, len(rows))

    def hits(self, query: str, count: int) -> LexicalHits:
        """`top(query, count)`'s rows, and the query's scores and coverage at any rows (`LexicalHits.at`):
        read from the scoring of every passage when `top` did that (a query of many terms), else by `at_rows`."""
        query_terms = terms(query)
        rows, _, every = self._top(self._counted(query_terms), count, query_terms)
        return LexicalHits(rows, self, query, every)

    def top(self, query: str, count: int) -> tuple[np.ndarray, np.ndarray]:
        """`(rows, scores)`: the `count` passages of highest positive BM25 score for `query`, best
        first (ties: lowest row), with their scores: what sorting all of `scores(query)` gives.

        Exact, without scoring every passage (MaxScore pruning): terms are taken by their highest
        weight, rarest first in practice; once the passages of the terms taken already hold `count`
        scores above what all the other terms together could give, a passage with none of the
        terms taken cannot be in the top, and a candidate is dropped as soon as its score so far plus
        what the remaining terms could add falls below the `count`-th score found. A query of many
        terms is scored densely at once (`_MANY_TERMS`).
        """
        rows, scores, _ = self._top(self._query_terms(query), count)
        return rows, scores

    def _top(self, wanted: list[tuple[int, int]], count: int, query_terms: list[str] | None = None,
             ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
        """`top` of the query's indexed terms `wanted`, and every passage's score and coverage when it scored
        every passage and `query_terms` (for the coverage) are given."""
        if not wanted or count <= 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), None
        if len(wanted) >= _MANY_TERMS:
            return self._top_dense(wanted, count, query_terms)
        wanted.sort(key=lambda term: -term[1] * self._highest(term[0]))
        bounds = [times * self._highest(number) for number, times in wanted]
        rest = float(sum(bounds))
        rows = np.zeros(0, dtype=self._indices.dtype)
        partial = np.zeros(0, dtype=np.float64)
        floor = 0.0  # a lower bound of the count-th best score
        taken = 0
        while taken < len(wanted) and rest >= floor * _BELOW:  # a passage none taken has could still enter
            number, times = wanted[taken]
            start, end = self._indptr[number], self._indptr[number + 1]
            if len(rows) + (end - start) > self.size // _DENSE_SHARE:
                return self._top_dense(wanted, count, query_terms)
            weights = times * self._data[start:end].astype(np.float64)
            rows, partial = merged_rows(rows, partial, self._indices[start:end], weights)
            rest -= bounds[taken]
            taken += 1
            floor = kth_highest(partial, count)
        for (number, times), bound in zip(wanted[taken:], bounds[taken:], strict=True):
            keep = partial + rest >= floor * _BELOW
            rows, partial = rows[keep], partial[keep]
            partial += times * self._weights_at(number, rows)
            rest -= bound
            floor = max(floor, kth_highest(partial, count))
        return (*best_rows(rows.astype(np.int64), partial.astype(np.float32), count), None)

    def _top_dense(self, wanted: list[tuple[int, int]], count: int, query_terms: list[str] | None,
                   ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray] | None]:
        """`_top` by scoring every passage, for queries whose terms are in a large share of them; with
        `query_terms`, every passage's coverage too (`coverage`, from the same postings)."""
        spans = [slice(self._indptr[n], self._indptr[n + 1]) for n, _ in wanted]
        rows = np.concatenate([self._indices[s] for s in spans])
        weights = np.concatenate([times * self._data[s].astype(np.float64) for s, (_, times) in zip(spans, wanted,
                                                                                                  strict=True)])
        scores = np.bincount(rows, weights, minlength=self.size).astype(np.float32)
        best = best_rows(np.arange(self.size, dtype=np.int64), scores, count)
        if query_terms is None:
            return (*best, None)
        term_weights, total = self._coverage_weights(query_terms)
        shares = np.repeat([term_weights[n] for n, _ in wanted], [s.stop - s.start for s in spans])
        coverage = np.bincount(rows, shares, minlength=self.size) / total
        return (*best, (scores, coverage.astype(np.float32)))

    def _query_terms(self, query: str) -> list[tuple[int, int]]:
        """The indexed terms of `query` as (term number, times it occurs), in order of first occurrence."""
        return self._counted(terms(query))

    def _counted(self, query_terms: list[str]) -> list[tuple[int, int]]:
        counted: dict[int, int] = {}
        for term in query_terms:
            number = self._vocab.get(term)
            if number is not None:
                counted[number] = counted.get(number, 0) + 1
        return list(counted.items())

    def _highest(self, number: int) -> float:
        """Term `number`'s highest weight in any passage."""
        if self._term_max is not None:
            return float(self._term_max[number])
        found = self._found_max.get(number)
        if found is None:
            start, end = self._indptr[number], self._indptr[number + 1]
            found = self._found_max[number] = float(self._data[start:end].max()) if end > start else 0.0
        return found

    def _weights_at(self, number: int, rows: np.ndarray) -> np.ndarray:
        """Term `number`'s weight (float64) in each of `rows` (0 where it does not occur)."""
        return self._found_at(number, rows)[1]

    def _found_at(self, number: int, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Whether term `number` occurs in each of `rows`, and its weight there (float64, else 0)."""
        start, end = self._indptr[number], self._indptr[number + 1]
        if end == start or len(rows) == 0:
            return np.zeros(len(rows), dtype=bool), np.zeros(len(rows), dtype=np.float64)
        postings = self._indices[start:end]
        places = np.minimum(np.searchsorted(postings, rows), end - start - 1)
        hit = postings[places] == rows
        return hit, np.where(hit, self._data[start:end][places], 0).astype(np.float64)

    def document_frequency(self, term: str) -> int:
        """How many passages contain `term` (a term as `terms` gives it; 0 when none does)."""
        number = self._vocab.get(term)
        return 0 if number is None else int(self._indptr[number + 1] - self._indptr[number])

    def coverage(self, query: str, rows: np.ndarray) -> np.ndarray:
        """IDF-weighted share of the query's distinct terms found in each passage of `rows` (0 to 1).

        A term that no passage contains weighs as much as the rarest indexed term, so a question
        about something the documents never mention gets a low coverage.
        """
        return self.at_rows(query, rows)[1]

    def _coverage(self, query_terms: list[str], found_at: dict[int, tuple[np.ndarray, np.ndarray]],
                  count: int) -> np.ndarray:
        """`coverage` from the query's terms and where each indexed one is found among the rows (`_found_at`)."""
        found = np.zeros(count, dtype=np.float64)  # as `_top_dense` sums it: float32 only at the end
        if not query_terms or self.size == 0:
            return found.astype(np.float32)
        weights, total = self._coverage_weights(query_terms)
        for number, weight in weights.items():
            found += weight * found_at[number][0]
        return (found / total).astype(np.float32)

    def _coverage_weights(self, query_terms: list[str]) -> tuple[dict[int, float], float]:
        """The weight in `coverage` (the IDF) of each indexed distinct term of a query, by term number, and the
        sum of all its distinct terms' weights, a term that no passage contains weighing as much as the rarest
        indexed term would."""
        numbers = [self._vocab.get(term) for term in sorted(set(query_terms))]
        indexed = np.array([n for n in numbers if n is not None], dtype=np.int64)
        passages = self._indptr[indexed + 1] - self._indptr[indexed]
        weights = dict(zip(indexed.tolist(), np.log(1 + (self.size - passages + 0.5) / (passages + 0.5)).tolist(),
                           strict=True))
        rarest = float(np.log(1 + (self.size - 0.5) / 1.5))
        return weights, sum(rarest if n is None else weights[n] for n in numbers)


class LexicalHits:
    """A query's best rows by BM25 (`LexicalIndex.hits`), and its scores and coverage at any rows."""

    def __init__(self, rows: np.ndarray, index: LexicalIndex, query: str,
                 every: tuple[np.ndarray, np.ndarray] | None) -> None:
        self.rows = rows
        self._index, self._query, self._every = index, query, every

    def at(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`LexicalIndex.at_rows(query, rows)`, from every passage's scores when they were computed."""
        if self._every is None:
            return self._index.at_rows(self._query, rows)
        scores, coverage = self._every
        return scores[rows], coverage[rows]


# Score sums are float64 of float32 weights (exact for the few terms of a query, in any order), so
# pruning compares exact values; _BELOW keeps passages within float32 rounding of the floor.
_BELOW = 1 - 1e-6
# Candidates beyond 1/_DENSE_SHARE of all passages: scoring every passage is cheaper.
_DENSE_SHARE = 4
# A query of this many distinct indexed terms (a long message) is scored densely at once: the bounds of
# so many terms add up to more than the count-th score for most of them, so pruning merges postings only
# to give up. On LiveQA messages (400 characters at most) over the eval corpus and its million-passage
# copy, from 12-15 terms on the dense search was 2x faster at 25k passages and as fast at 1M; from 16
# on, 1.5x to 3.5x faster at both; under 12, pruning was up to 3x faster at 1M.
_MANY_TERMS = 12
