"""The final ordering of candidate passages: a few generic relevance signals, weighed by a fitted model.

Signals, for a passage p of document d and a question q:
- `dense`: cosine of q and p (p embedded with its title and section as context);
- `coverage`: IDF-weighted share of q's terms that occur in p (BM25's vocabulary);
- `doc_dense`, `doc_coverage`: the best `dense` and `coverage` among d's candidates (is this the
  right document at all?);
- `aspect`: whether q and p speak of the same kind of information (symptoms, causes, treatment, outlook,
  ...), from the similarity of each to short descriptions of those kinds (embeddings, not wording);
- `title_in_query`, `query_in_title`: word overlap of q and d's title, both ways.

The weights are a linear score fitted listwise (a softmax over each question's candidates) on 3,000
random development questions (`bench/fit_ranker.py`), `coverage` weighed more for a question asked on
its own (`COVERAGE_BOOST`: patients name the title less often than MedQuAD does); they decide the order, and a passage's
*match* is its share of that softmax among the distinct passages found (`Scored`; the staff search shows it).

The score a passage carries, compared with `Settings.min_relevance` to decide `no_match`, is its
*relevance* (`CandidateScores.relevance`, from `Ranker.scores`):

    (1 - lexical_weight) * [(1 - title_weight) * cos(q, p) + title_weight * cos(q, d's title)]
        + lexical_weight * doc_coverage

with d's title embedded alone when the index is built, or the closest of the other names d's text gives
its subject ("Spinocerebellar ataxia type 6 (SCA6) is ...", "also known as ...", `focus.other_names`),
embedded once per model (`phrase_vectors`), so "what is SCA6" is as close as the title (`Settings.title_weight` 0.7,
`Settings.lexical_weight` 0.15). Matching the title in meaning rather than in words keeps patients'
own wording ("my cerebellum is shrinking") answered, while a question about a condition the corpus
lacks scores lower against a sibling condition's title. The lexical part counts whether the
document's best passage contains the question's rarer terms: a rare name the model hardly knows
("mal de Meleda") still marks its own page. The fitted order is not used for this: it leans on the
question naming a document's title word for word, which MedQuAD's template questions always do and
patients often do not (bench/results/quality.md).

One rule guards against quoting the wrong variant of a condition: when the question names a variant
("type 3", "2N", "ALG1") that a document's title lacks, while the title names one the question lacks
("type 1"), the document's passages get relevance 0 and come last. Embeddings of such near-identical
names are too close to tell them apart; a question naming no variant, as patients' mostly don't, is
never affected.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .aspects import ASKED_ALSO, ASPECT_NAMES, ASPECTS, as_overview
from .config import Settings
from .focus import defines, other_names
from .index_store import StoredIndex
from .model_files import Encoder
from .phrase_vectors import phrase_vectors
from .question_parts import asked_part
from .variant_names import Name, name_words
from .vector_search import inner_products, stored_vectors

ASPECT_TEMPERATURE = 0.05

FEATURES = ("dense", "coverage", "doc_dense", "doc_coverage", "aspect", "title_in_query", "query_in_title")
WEIGHTS = np.array([6.48, 1.19, 3.24, 1.24, 6.14, 8.57, 11.71], dtype=np.float32)
# The weights are fitted on MedQuAD's template questions, which name their document's title word for
# word: the title features carry them, and a passage's own share of the question's terms (`coverage`)
# is weighed little. Patients name the title less often and tell the passage by their own words ("a
# stroke", "old age", "speech"): a question asked on its own has `coverage` weighed COVERAGE_BOOST
# times the fitted weight. Chosen on the dev parts of bench/patients and bench/library (1, 1.25, 1.5,
# 1.75, 2 tried: right passage first on the seed 0.849, 0.864, 0.879, 0.894, 0.864; library pages
# first 0.893, 0.893, 0.911, 0.911, 0.911; MedQuAD library passage_hit1 0.799, 0.803, 0.803, 0.803,
# 0.807). A follow-up keeps the fitted weights: its query is the topic's title with the question, whose
# words the topic's passages share (boosted, 2 of its 39 dev turns lost their passage).
COVERAGE_BOOST = 1.75
QUESTION_WEIGHTS = WEIGHTS * np.array([COVERAGE_BOOST if f == "coverage" else 1.0 for f in FEATURES], dtype=np.float32)

@dataclass(frozen=True)
class Candidates:
    """The index rows that dense or lexical search found, with both scores for every row and the share
    of the query's terms each holds (`LexicalIndex.coverage`)."""

    rows: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    coverage: np.ndarray
    dense_order: np.ndarray
    lexical_order: np.ndarray

    def subset(self, keep: np.ndarray) -> Candidates:
        """The candidates where `keep` (one flag per row) is true, the orders kept among them."""
        position = np.cumsum(keep) - 1
        return Candidates(
            rows=self.rows[keep], dense=self.dense[keep], lexical=self.lexical[keep], coverage=self.coverage[keep],
            dense_order=position[self.dense_order[keep[self.dense_order]]],
            lexical_order=position[self.lexical_order[keep[self.lexical_order]]],
        )


class CandidateScores(NamedTuple):
    """For each candidate: the fitted score that orders it, its relevance (the module's docstring),
    and whether its document is titled with another variant than the question names."""

    fitted: np.ndarray
    relevance: np.ndarray
    other_variant: np.ndarray


@dataclass(frozen=True)
class Scored:
    """An index row, its relevance (`CandidateScores.relevance`) and its match: the fitted model's
    share among the distinct passages found (softmax of the order's score), falling down the order
    (0 where no fitted order applies: qa_eval's baselines)."""

    row: int
    score: float
    match: float = 0.0


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


def _softmax(scores: np.ndarray) -> np.ndarray:
    scaled = np.exp((scores - scores.max(axis=-1, keepdims=True)) / ASPECT_TEMPERATURE)
    return scaled / scaled.sum(axis=-1, keepdims=True)


def _doc_max(docs: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For each item, the largest value among the items of the same document."""
    if len(docs) == 0:
        return values
    _, groups = np.unique(docs, return_inverse=True)
    best = np.full(groups.max() + 1, -np.inf, dtype=np.float32)
    np.maximum.at(best, groups, values)
    return best[groups]


class Ranker:
    """Orders candidates by the fitted relevance model; built once per loaded index."""

    def __init__(self, stored: StoredIndex, encoder: Encoder, settings: Settings) -> None:
        self.stored = stored
        self._encoder = encoder
        # The latest asked part's vector, per thread, under the digest of its text (no text kept): an
        # answer reads it twice (the order's `aspect` feature, then `asked_aspect` for not_covered).
        self._asked_memo = threading.local()
        self._embedded_chars = settings.max_embedded_chars
        self.title_weight = settings.title_weight
        self.lexical_weight = settings.lexical_weight
        chunks = stored.manifest.chunks
        doc_ids = sorted(stored.documents)
        doc_number = {doc_id: i for i, doc_id in enumerate(doc_ids)}
        self._doc_of_row = np.array([doc_number[c.doc_id] for c in chunks], dtype=np.int64)
        # Each document's rows, ascending, without a scan of every row per document (`doc_aspects`).
        self._rows_by_doc = np.argsort(self._doc_of_row, kind="stable").astype(np.int32)
        self._doc_starts = np.searchsorted(self._doc_of_row[self._rows_by_doc], np.arange(len(doc_ids) + 1))
        # Each document's names: its title and the names its text gives it ("(SCA6)", "also known as ..."),
        # as words, and the other names also embedded (once per model and corpus, `phrase_vectors`)
        names = [(d, other_names(stored.documents[d])) for d in doc_ids]
        self._titles = [[words for words in map(name_words, (stored.documents[d].title, *others)) if words]
                        or [frozenset()] for d, (_, others) in zip(doc_ids, names, strict=True)]
        self._name_doc = np.array([i for i, (_, others) in enumerate(names) for _ in others], dtype=np.int64)
        other = [n for _, others in names for n in others]
        self._name_vectors = phrase_vectors(encoder, other, settings.onnx_dir) if other else None
        self._names = [Name.of(stored.documents[d].title) for d in doc_ids]
        self._title_vectors = stored.title_vectors  # rows in `doc_ids` order, embedded when the index was built
        phrasings = phrase_vectors(encoder, [text for kind in ASPECTS for text in kind], settings.onnx_dir)
        self._aspects = phrasings.reshape(len(ASPECTS), 2, -1).mean(axis=1)
        asked = np.concatenate([self._aspects, phrase_vectors(encoder, list(ASKED_ALSO), settings.onnx_dir)])
        self._asked_kinds = asked / np.linalg.norm(asked, axis=1, keepdims=True)
        self._doc_ids = doc_ids
        self._unvetted_margin = settings.unvetted_margin * np.array(  # per row: 0, or the margin if unreviewed
            [not stored.documents[c.doc_id].vetted for c in chunks], dtype=np.float32)
        self._row_aspects = _softmax(inner_products(stored_vectors(stored.vectors), self._aspects)).astype(np.float32)
        # Each row's first row with the same passage text (NIH boilerplate repeats across documents):
        # identical quotes are given once. Compared by digest: no passage text is kept, even while loading.
        # A passage that says what its document's subject is ("SCA6 is a condition ...") is an overview.
        first_with_text: dict[bytes, int] = {}
        named = {d: (stored.documents[d].title, *others) for d, others in names}
        text_of_row, defining = [], []
        for row, c in enumerate(chunks):
            text = stored.documents[c.doc_id].body[c.start : c.end]
            text_of_row.append(first_with_text.setdefault(_digest(text), row))
            defining.append(defines(text, named[c.doc_id]))
        self._text_of_row = np.array(text_of_row, dtype=np.int64)
        self._row_aspects = as_overview(self._row_aspects, np.array(defining, dtype=bool))

    def _asked_vector(self, query: str, query_vector: np.ndarray) -> np.ndarray:
        """The vector of the part of `query` that asks (`question_parts.asked_part`); for a message
        longer than `Settings.max_embedded_chars` that has one, `query_vector` itself, which is
        already of its asking sentences (`question_parts.embedded_part`; the same figures on the dev
        part of bench/liveqa.py as embedding the last of them again, one model call fewer)."""
        asked = asked_part(query)
        if asked == query or len(query) > self._embedded_chars:
            return query_vector
        key = _digest(asked)
        if getattr(self._asked_memo, "key", None) != key:
            self._asked_memo.vector = self._encoder.encode([asked])[0]
            self._asked_memo.key = key
        return self._asked_memo.vector

    def title_match(self, query_vector: np.ndarray) -> float:
        """The question's best cosine to a document title: high when it names a document's topic."""
        return float(inner_products(self._title_vectors, query_vector).max()) if len(self._doc_ids) else 0.0

    def aspect_match(self, query_vector: np.ndarray) -> float:
        """The question's best cosine to a kind of health information (`ASPECTS`, `ASKED_ALSO`)."""
        return float((self._asked_kinds @ query_vector).max())

    def asked_aspect(self, query: str, query_vector: np.ndarray, confidence: float) -> str | None:
        """The kind of information (`ASPECT_NAMES`) the question asks for, read from the part that
        asks, when its aspect profile puts at least `confidence` on one kind; None when not clear."""
        profile = _softmax(self._asked_vector(query, query_vector) @ self._aspects.T)
        return ASPECT_NAMES[int(profile.argmax())] if profile.max() >= confidence else None

    def doc_aspects(self, doc_id: str, floor: float = 0.25) -> tuple[str, ...]:
        """The kinds of information (`ASPECT_NAMES`) some passage of `doc_id` is about, with at least
        `floor` of its aspect profile (a passage on genes that also says how the condition is inherited
        covers both), the most clearly covered first; "overview" always first."""
        number = self._doc_ids.index(doc_id)
        rows = self._rows_by_doc[self._doc_starts[number] : self._doc_starts[number + 1]]
        strength = self._row_aspects[rows].max(axis=0) if len(rows) else np.zeros(len(ASPECT_NAMES))
        kinds = sorted((int(k) for k in np.flatnonzero(strength >= floor)), key=lambda k: -strength[k])
        return ("overview", *(ASPECT_NAMES[k] for k in kinds if ASPECT_NAMES[k] != "overview")) if len(rows) else ()

    def features(self, query: str, query_vector: np.ndarray, found: Candidates) -> np.ndarray:
        """One row of `FEATURES` per candidate."""
        docs = self._doc_of_row[found.rows]
        coverage = found.coverage
        aspect = self._row_aspects[found.rows] @ _softmax(self._asked_vector(query, query_vector) @ self._aspects.T)
        words = name_words(query)
        named = {int(d): _best_name(self._titles[d], words) for d in np.unique(docs)}
        title_in_query = np.array([named[int(d)][0] for d in docs], dtype=np.float32)
        query_in_title = np.array([named[int(d)][1] for d in docs], dtype=np.float32)
        return np.stack(
            [
                found.dense,
                coverage,
                _doc_max(docs, found.dense),
                _doc_max(docs, coverage),
                aspect,
                title_in_query,
                query_in_title,
            ],
            axis=1,
        )

    def scores(
        self, query: str, query_vector: np.ndarray, found: Candidates, follow_up: bool = False
    ) -> CandidateScores:
        """Every candidate's fitted score and relevance: `rank` orders by the first, and the no-match
        decision compares the second with `Settings.min_relevance`. The score weighs `QUESTION_WEIGHTS`,
        or the fitted `WEIGHTS` for a `follow_up`'s contextual query."""
        features = self.features(query, query_vector, found)
        relevance, other_variant = self._relevance(
            query, query_vector, found.rows, found.dense, features[:, FEATURES.index("doc_coverage")]
        )
        return CandidateScores(features @ (WEIGHTS if follow_up else QUESTION_WEIGHTS), relevance, other_variant)

    def _relevance(
        self, query: str, query_vector: np.ndarray, rows: np.ndarray, dense: np.ndarray, doc_coverage: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The relevance of each of `rows` (the module's docstring), and whether its document is about
        another variant."""
        docs = self._doc_of_row[rows]
        titles = self._title_vectors[docs] @ query_vector
        if self._name_vectors is not None:  # a document is as close as the closest of its names
            closest = np.full(len(self._doc_ids), -1.0, dtype=np.float32)
            np.maximum.at(closest, self._name_doc, self._name_vectors @ query_vector)
            titles = np.maximum(titles, closest[docs])
        meaning = (1 - self.title_weight) * dense + self.title_weight * titles
        score = (1 - self.lexical_weight) * meaning + self.lexical_weight * doc_coverage
        other_variant = self._other_variant(query, docs)
        return np.where(other_variant, 0.0, score).astype(np.float32), other_variant

    def _other_variant(self, query: str, docs: np.ndarray) -> np.ndarray:
        """For each document, whether its title names another variant than `query` (`Name.conflicts_with`)."""
        name = Name.of(query)
        if not name.marks:
            return np.zeros(len(docs), dtype=bool)
        conflicts = {int(d): name.conflicts_with(self._names[d]) for d in np.unique(docs)}
        return np.array([conflicts[int(d)] for d in docs], dtype=bool)

    def rank(
        self, query: str, query_vector: np.ndarray, found: Candidates, limit: int, follow_up: bool = False
    ) -> list[Scored]:
        """The `limit` best candidates, identical passage texts kept once; each with its relevance and
        its match (`Scored`); `follow_up`: `scores`."""
        if len(found.rows) == 0:
            return []
        logits, relevance, other_variant = self.scores(query, query_vector, found, follow_up)
        # Passages about another variant of the condition (relevance 0) come after all others; a vetted
        # document's passage before an unreviewed one about as good (`Settings.unvetted_margin`).
        order_key = logits - self._unvetted_margin[found.rows]
        kept: list[int] = []
        seen: set[int] = set()
        for i in np.lexsort((-order_key, other_variant)):
            text = int(self._text_of_row[found.rows[i]])
            if text not in seen:
                seen.add(text)
                kept.append(int(i))
        match = _shares(np.where(other_variant[kept], -np.inf, order_key[kept]))
        top = zip(kept[:limit], match[:limit], strict=True)
        return [Scored(int(found.rows[i]), float(relevance[i]), float(m)) for i, m in top]


def _shares(keys: np.ndarray) -> np.ndarray:
    """The softmax of `keys` (the fitted model's listwise probabilities); 0 where a key is -inf."""
    if not np.isfinite(keys).any():
        return np.zeros(len(keys))
    scaled = np.exp(keys - keys[np.isfinite(keys)].max())
    return scaled / scaled.sum()


def _best_name(names: list[frozenset[str]], words: frozenset[str]) -> tuple[float, float]:
    """Of a document's names, the one the query names best: the share of its words in the query,
    and the share of the query's words in it."""
    return max(((len(n & words) / max(1, len(n)), len(n & words) / max(1, len(words))) for n in names),
               key=sum)
