"""What a question is about when it does not say: the conversation's topic, or asking back.

A question *names a topic* when it is close in meaning to a document's title ("my MRI says
cerebellar volume loss ..."); then it is answered alone, and a new topic starts over. A question
that names none ("and how is it treated?") is a *follow-up* when it still asks for health
information (close to a kind of information, or to some passage); an off-topic one ("How do I renew
my passport?") is not, and context never makes it answerable. In a conversation it must also speak of
the topic (`continues_topic`): clearly health information, or some with words of the topic's pages,
or mostly the topic's words ("and my speech?", where the page speaks of speech); "and my car
insurance?" is close enough in meaning to "what about my daily life" but is refused. Nor may it name
another condition (`names_another_condition`: a name of `condition_names.txt` the topic's pages never
use, with no "it" or "this" pointing back): "how is carpal tunnel syndrome treated?" after questions on
cerebellar atrophy starts over, and the conversation's topic is not carried past it. A follow-up is
answered about:

1. the documents the conversation's latest topic-naming, answered question was answered from;
2. with no such earlier question, when its best passages come from several documents that fit
   about equally, the bot asks back which one is meant (status "clarify", their titles as choices);
   otherwise it is answered as any first question, or refused with questions it could answer.

A follow-up is never answered from the corpus's one topic without a conversation: "how is
diabetes treated?" names no document's topic either, and must not get quotes on another condition.

Context only changes which passages are retrieved and ranked: the question goes to retrieval
together with the topic's title; the quotes are document slices as always, and a fixed notice
says which topic was carried. Nothing is kept between requests: the caller sends the earlier
questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .answer import Quote
from .condition_names import condition_names
from .config import Settings
from .documents import Document
from .lexical import content_words
from .notices import Notice
from .retrieval import Passage, Retriever
from .texts import texts

# A question asks clearly for one kind of information when its aspect profile puts this much on it.
CLEAR_ASPECT = 0.5
# Documents whose best passage is this close to the best one fit "about equally".
EQUAL_FIT = 0.05
MAX_CHOICES = 4
# `continues_topic`: a question naming no topic continues the conversation when it is this close to
# a kind of information or a passage, or when a passage of the topic has this share of its terms.
CLEAR_FOLLOW_UP = 0.33
TOPIC_WORDS = 0.75
# Words that point back to the conversation's topic ("does it cause headaches?", "is this linked to dementia?").
REFERS_BACK = frozenset({"it", "its", "itself", "this", "that", "these", "those"})
# Words that point back to the person a conversation is about ("what can they do for her?", "will he get worse?").
PERSON_WORDS = frozenset({"he", "him", "his", "she", "her", "hers", "they", "them", "their"})
# Words a follow-up fragment adds that say nothing of its subject ("and his balance", "what about it").
FILLER = frozenset({"about", "also", "any", "anything", "else", "he", "her", "him", "his", "me", "more", "our",
                    "she", "so", "their", "them", "then", "they", "we", "you", "your"})


@dataclass(frozen=True)
class Topic:
    """The documents a follow-up is answered from, and the notice that says so."""

    doc_ids: tuple[str, ...]
    notice: Notice


def names_a_topic(retriever: Retriever, vector: np.ndarray, settings: Settings) -> bool:
    """True when the question is close in meaning to some document's title."""
    return retriever.ranker.title_match(vector) >= settings.topic_min_title_cosine


def closeness(retriever: Retriever, vector: np.ndarray) -> float:
    """The question's best cosine to a kind of health information or to some passage."""
    return max(retriever.ranker.aspect_match(vector), retriever.best_cosine(vector))


def _rows_of(retriever: Retriever, doc_ids: Sequence[str]) -> np.ndarray:
    """The index rows of the passages of `doc_ids`."""
    chunks = retriever.stored.manifest.chunks
    return np.array([r for r, c in enumerate(chunks) if c.doc_id in doc_ids], dtype=np.int64)


def topic_word_share(retriever: Retriever, question: str, topic: Topic) -> float:
    """The largest share of the question's terms (IDF-weighted, `LexicalIndex.coverage`; the
    `FILLER` words a fragment adds left out) that one passage of the topic's documents has."""
    rows = _rows_of(retriever, topic.doc_ids)
    words = " ".join(w for w in question.lower().split() if w.strip("?!.,") not in FILLER)
    return float(retriever.stored.lexical.coverage(words, rows).max()) if len(rows) else 0.0


def refers_back(question: str) -> bool:
    """Whether `question` has a word pointing back to the conversation's topic (`REFERS_BACK`)."""
    return bool(REFERS_BACK & _words(question))


def refers_to_someone(question: str) -> bool:
    """Whether `question` points back to the person the conversation is about ("what can they do for her?")."""
    return bool(PERSON_WORDS & _words(question))


def _words(question: str) -> set[str]:
    return {w.strip("?!.,;:'\"") for w in question.lower().split()}


def names_another_condition(retriever: Retriever, question: str, doc_ids: Sequence[str] | None = None) -> bool:
    """Whether `question` names a condition (`condition_names`) with a word that no passage of `doc_ids`
    (of the whole corpus when None) uses, and has no word pointing back to the topic (`REFERS_BACK`)."""
    if refers_back(question):
        return False
    named = condition_names().named(content_words(question))
    if not named:
        return False
    lexical = retriever.stored.lexical
    if doc_ids is None:
        return any(not lexical.document_frequency(term) for key in named for term in key)
    rows = _rows_of(retriever, doc_ids)
    return any(not len(rows) or not lexical.coverage(term, rows).max() for key in named for term in key)


def continues_topic(closest: float, share: float, settings: Settings, points_back: bool = False) -> bool:
    """Whether a question naming no topic continues the conversation's topic: it asks clearly for
    health information (`closest`, its cosine to a kind of information or a passage, reaches
    `CLEAR_FOLLOW_UP`), or asks for some (`follow_up_min_cosine`) with words of the topic's pages
    (`share` above 0) or a word pointing back (`points_back`, see `refers_back`: "is it serious?"), or
    most of its words are the topic's (`TOPIC_WORDS`: "and my speech?", too short to be close in
    meaning to anything). "and my car insurance?" is none of these."""
    if closest >= CLEAR_FOLLOW_UP or share >= TOPIC_WORDS:
        return True
    return closest >= settings.follow_up_min_cosine and (share > 0 or points_back)


def conversation_topic(
    retriever: Retriever, earlier: Sequence[str], vectors: np.ndarray, settings: Settings
) -> tuple[str, ...]:
    """The documents the latest earlier question that names a topic was answered from (newest
    first; empty when none was)."""
    for text, vector in zip(reversed(earlier), vectors[::-1], strict=True):
        if not names_a_topic(retriever, vector, settings):
            if names_another_condition(retriever, text):
                return ()  # the conversation moved on to a condition the corpus does not cover
            continue
        passages = retriever.search(text, vector, settings.max_quotes)
        relevant = [p.doc_id for p in passages if p.score >= settings.min_relevance]
        if relevant:
            return tuple(dict.fromkeys(relevant))
    return ()


def fitting_topics(passages: Sequence[Passage], documents: Mapping[str, Document]) -> tuple[str, ...]:
    """The titles of the documents of `passages` (best first) whose best passage fits about as well
    as the best, one per condition: pages whose titles have the same words (GARD's, GHR's and NINDS's
    "Multiple system atrophy") are one topic, not a choice to ask back about."""
    if not passages:
        return ()
    best = max(p.score for p in passages)
    titles: dict[frozenset[str], str] = {}
    for p in passages:
        if p.score >= best - EQUAL_FIT:
            title = documents[p.doc_id].title
            titles.setdefault(frozenset(content_words(title)), title)
    return tuple(titles.values())


def topic_notice(doc_ids: Sequence[str], retriever: Retriever) -> Notice:
    """"About: <title>, from your earlier question."."""
    title = retriever.stored.documents[doc_ids[0]].title
    return Notice("context", texts().context_topic.format(title=title))


def contextual_query(retriever: Retriever, question: str, topic: Topic) -> str:
    """The text retrieval reads for a follow-up: the topic's title, then the question."""
    return f"{retriever.stored.documents[topic.doc_ids[0]].title}: {question}"


def about_topic(
    retriever: Retriever, query: str, query_vector: np.ndarray, question_vector: np.ndarray, topic: Topic, limit: int
) -> list[Passage]:
    """The topic's best passages for the contextual `query` (its unit vector `query_vector`).

    The contextual query finds the topic's passages and gives the asked kind of information and the
    words; how close each passage is in meaning is taken from the question alone (`question_vector`),
    since the title, in every follow-up's query, draws all of them toward the overview passages that
    repeat it. On the dev parts of bench/patients this put the right passage first for 34 of 38
    follow-ups, against 28 with the contextual query's cosine; ordering everything for the question
    alone, without the title, put fewer first (0.74 against 0.78 on the first sets). Ordered with the
    fitted weights of a follow-up (`Ranker.scores`)."""
    found = retriever.gather(query, query_vector)
    own = found.subset(np.isin([retriever.stored.manifest.chunks[r].doc_id for r in found.rows], topic.doc_ids))
    own = replace(own, dense=retriever.cosines(question_vector, own.rows))
    return [retriever.passage(s) for s in retriever.ranker.rank(query, query_vector, own, limit, follow_up=True)]


def not_covered(retriever: Retriever, question: str, vector: np.ndarray, quotes: Sequence[Quote]) -> tuple[Notice, ...]:
    """"The documents on X do not say whether …" when the question clearly asks for a kind of
    information that no passage of the quoted documents is about (none otherwise)."""
    doc_ids = list(dict.fromkeys(q.doc_id for q in quotes))
    asked = retriever.ranker.asked_aspect(question, vector, CLEAR_ASPECT)
    if not doc_ids or asked is None or any(asked in retriever.ranker.doc_aspects(d) for d in doc_ids):
        return ()
    title = retriever.stored.documents[doc_ids[0]].title
    return (Notice("not_covered", texts().not_covered_templates[asked].format(title=title)),)


def suggestions(retriever: Retriever, passages: Sequence[Passage], count: int) -> tuple[str, ...]:
    """Up to `count` questions the documents nearest to a refused question can answer: one per kind
    of information their passages are about, from texts.toml's templates, the nearest document first."""
    documents = retriever.stored.documents
    nearest = list(dict.fromkeys(p.doc_id for p in passages)) or sorted(documents)[:1]
    templates = texts().suggestion_templates
    offered: list[str] = []
    for doc_id in nearest:
        for aspect in retriever.ranker.doc_aspects(doc_id):
            if aspect in templates and len(offered) < count:
                offered.append(templates[aspect].format(title=documents[doc_id].title))
    return tuple(dict.fromkeys(offered))
