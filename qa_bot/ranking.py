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
random development questions (`bench/fit_ranker.py`); they decide the order, and a passage's
*match* is its share of that softmax among the distinct passages found (`Scored`; the staff search shows it).

The score a passage carries, compared with `Settings.min_relevance` to decide `no_match`, is its
*relevance* (`CandidateScores.relevance`, from `Ranker.scores`):

    (1 - lexical_weight) * [(1 - title_weight) * cos(q, p) + title_weight * cos(q, d's title)]
        + lexical_weight * doc_coverage

with d's title embedded alone when the index is built (`Settings.title_weight` 0.7,
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

from .config import Settings
from .index_store import StoredIndex
from .lexical import content_words
from .model_files import Encoder
from .phrase_vectors import phrase_vectors
from .question_parts import asked_part
from .variant_names import Name
from .vector_search import inner_products, stored_vectors

ASPECT_TEMPERATURE = 0.05

# Kinds of health information, each in clinical and in plain words; a text's aspect profile is
# its similarity to each kind (several phrasings are averaged into one vector per kind).
ASPECTS = (
    ("what the condition is: a description and overview of the disease", "what is it, what does it mean"),
    (
        "signs and symptoms: what people with the condition experience and the health problems it causes",
        "how will it affect me, what are the signs, what problems does it cause, what does it feel like",
    ),
    ("causes: what causes the condition and why it happens", "why did I get it, what leads to it, what can cause it"),
    ("genes and mutations: changes in genes that cause the disorder", "which gene is changed"),
    (
        "inheritance: how the condition is passed down in families from parents to children",
        "is it hereditary, can my children get it from me, does it run in families",
    ),
    ("how common the condition is: how many people are affected", "how rare is it, how many people have it"),
    (
        "diagnosis: tests and exams doctors use to find out whether someone has the condition",
        "how do doctors find out if I have it, which test shows it",
    ),
    (
        "treatment: therapies, medicines, surgery and management of the condition",
        "how is it treated, can it be cured, what can I do about it, does therapy or medicine help",
    ),
    (
        "outlook and prognosis: what to expect and how the condition progresses over time",
        "will it get worse, what is the life expectancy, will I recover",
    ),
    ("prevention: how to avoid the condition or lower the risk", "how can I avoid getting it"),
    ("research and clinical trials studying the condition", "are there studies or trials I can join"),
)

# Other things patients ask about a condition, in their words: with the kinds above they tell a
# follow-up question ("how fast does it progress?") from a question on another subject
# (`Ranker.aspect_match`); they play no part in the order.
ASKED_ALSO = (
    "how fast does it progress, how quickly does it get worse over time",
    "is it dangerous or fatal, can you die from it, how long do people live with it",
    "how will it affect my daily life, can I still work, drive, walk or live on my own",
    "what kind of doctor or specialist treats it, who should I see about it",
    "will I need a wheelchair or help at home, will I become disabled",
    "is it contagious, can I catch it or pass it on",
)

# A short name for each kind above, in the same order (texts.toml's suggestion templates use them).
ASPECT_NAMES = (
    "overview", "symptoms", "causes", "genes", "inheritance", "frequency", "diagnosis", "treatment", "outlook",
    "prevention", "research",
)

FEATURES = ("dense", "coverage", "doc_dense", "doc_coverage", "aspect", "title_in_query", "query_in_title")
WEIGHTS = np.array([6.48, 1.19, 3.24, 1.24, 6.14, 8.57, 11.71], dtype=np.float32)

@dataclass(frozen=True)
class Candidates:
    """The index rows that dense or lexical search found, with both scores for every row."""

    rows: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    dense_order: np.ndarray
    lexical_order: np.ndarray

    def subset(self, keep: np.ndarray) -> Candidates:
        """The candidates where `keep` (one flag per row) is true, the orders kept among them."""
        position = np.cumsum(keep) - 1
        return Candidates(
            rows=self.rows[keep], dense=self.dense[keep], lexical=self.lexical[keep],
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
        self._titles = [content_words(stored.documents[d].title) for d in doc_ids]
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
        first_with_text: dict[bytes, int] = {}
        self._text_of_row = np.array(
            [first_with_text.setdefault(_digest(stored.documents[c.doc_id].body[c.start : c.end]), row)
             for row, c in enumerate(chunks)], dtype=np.int64)

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
        """The kinds of information (`ASPECT_NAMES`) some passage of `doc_id` is mostly about, with at
        least `floor` of its aspect profile, the most clearly covered first; "overview" always first."""
        rows = np.flatnonzero(self._doc_of_row == self._doc_ids.index(doc_id))
        strength: dict[int, float] = {}
        for profile in self._row_aspects[rows]:
            kind = int(profile.argmax())
            strength[kind] = max(strength.get(kind, 0.0), float(profile[kind]))
        kinds = sorted((k for k, v in strength.items() if v >= floor), key=lambda k: -strength[k])
        return ("overview", *(ASPECT_NAMES[k] for k in kinds if ASPECT_NAMES[k] != "overview")) if len(rows) else ()

    def features(self, query: str, query_vector: np.ndarray, found: Candidates) -> np.ndarray:
        """One row of `FEATURES` per candidate."""
        docs = self._doc_of_row[found.rows]
        coverage = self.stored.lexical.coverage(query, found.rows)
        aspect = self._row_aspects[found.rows] @ _softmax(self._asked_vector(query, query_vector) @ self._aspects.T)
        words = content_words(query)
        shared = {int(d): len(self._titles[d] & words) for d in np.unique(docs)}
        title_in_query = np.array([shared[int(d)] / max(1, len(self._titles[d])) for d in docs], dtype=np.float32)
        query_in_title = np.array([shared[int(d)] / max(1, len(words)) for d in docs], dtype=np.float32)
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

    def scores(self, query: str, query_vector: np.ndarray, found: Candidates) -> CandidateScores:
        """Every candidate's fitted score and relevance: `rank` orders by the first, and the no-match
        decision compares the second with `Settings.min_relevance`."""
        features = self.features(query, query_vector, found)
        relevance, other_variant = self._relevance(
            query, query_vector, found.rows, found.dense, features[:, FEATURES.index("doc_coverage")]
        )
        return CandidateScores(features @ WEIGHTS, relevance, other_variant)

    def _relevance(
        self, query: str, query_vector: np.ndarray, rows: np.ndarray, dense: np.ndarray, doc_coverage: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The relevance of each of `rows` (the module's docstring), and whether its document is about
        another variant."""
        docs = self._doc_of_row[rows]
        titles = self._title_vectors[docs] @ query_vector
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

    def rank(self, query: str, query_vector: np.ndarray, found: Candidates, limit: int) -> list[Scored]:
        """The `limit` best candidates, identical passage texts kept once; each with its relevance and
        its match (`Scored`)."""
        if len(found.rows) == 0:
            return []
        logits, relevance, other_variant = self.scores(query, query_vector, found)
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
