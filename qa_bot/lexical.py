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

    def __init__(self, matrix: dict[str, np.ndarray], vocab: dict[str, int], size: int) -> None:
        self._data, self._indices, self._indptr = (matrix[name] for name in _ARRAYS)
        self._vocab = vocab
        self.size = size

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
        (folder / "vocab.json").write_text(json.dumps(self._vocab, ensure_ascii=False))
        (folder / "size.json").write_text(str(self.size))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load an index written by `save` (its arrays memory-mapped)."""
        try:
            # Plain ndarray views of the maps: np.memmap's subclass hooks cost more than the slicing itself.
            matrix = {name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                      for name in _ARRAYS}
            vocab = json.loads((folder / "vocab.json").read_text())
            size = int((folder / "size.json").read_text())
        except (OSError, ValueError) as err:
            raise IndexNotBuilt(f"The BM25 index in {folder} is unreadable ({err}). Run `qa-bot build`.") from None
        return cls(matrix, vocab, size)

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

    def document_frequency(self, term: str) -> int:
        """How many passages contain `term` (a term as `terms` gives it; 0 when none does)."""
        number = self._vocab.get(term)
        return 0 if number is None else int(self._indptr[number + 1] - self._indptr[number])

    def coverage(self, query: str, rows: np.ndarray) -> np.ndarray:
        """IDF-weighted share of the query's distinct terms found in each passage of `rows` (0 to 1).

        A term that no passage contains weighs as much as the rarest indexed term, so a question
        about something the documents never mention gets a low coverage.
        """
        wanted = sorted(set(terms(query)))
        found = np.zeros(len(rows), dtype=np.float32)
        if not wanted or self.size == 0:
            return found
        rarest = float(np.log(1 + (self.size - 0.5) / 1.5))
        total = 0.0
        for term in wanted:
            if term not in self._vocab:
                total += rarest
                continue
            start, end = self._indptr[self._vocab[term]], self._indptr[self._vocab[term] + 1]
            weight = float(np.log(1 + (self.size - (end - start) + 0.5) / (end - start + 0.5)))
            total += weight
            postings = self._indices[start:end]  # sorted passage rows containing the term
            places = np.minimum(np.searchsorted(postings, rows), len(postings) - 1)
            found += weight * (postings[places] == rows)
        return found / total
