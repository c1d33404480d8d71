"""`QABot`: the library's front door, used alike by the CLI, the Gradio app and the tests."""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from . import change_journal
from .answer import Answer, SearchResults, build_answer, search_results
from .batching import MicroBatcher
from .blas_threads import one_blas_thread
from .config import Settings
from .conversation import (
    MAX_CHOICES,
    Topic,
    about_topic,
    closeness,
    contextual_query,
    continues_topic,
    conversation_topic,
    fitting_topics,
    names_a_topic,
    names_another_condition,
    not_covered,
    refers_back,
    refers_to_someone,
    suggestions,
    topic_notice,
    topic_word_share,
)
from .errors import InvalidQuery
from .index_store import StoredIndex, current_version, read_index
from .indexing import compare_index, require_fresh
from .message_reading import AskedQuestion, read_message
from .mixed_scripts import mixed_script_words
from .model_files import Encoder
from .notices import Notice, urgent_first
from .onnx_encoder import question_encoder
from .query_log import open_query_log
from .question_parts import embedded_part, within
from .ranking import Ranker
from .retrieval import Passage, Retriever
from .safety import check
from .safety import rules as safety_rules
from .safety_neighbours import EmergencyNeighbours
from .safety_reading import SafetyCheck
from .spelling import corrected, model_words
from .texts import texts

logger = logging.getLogger(__name__)


class QABot:
    """Answers questions by quoting the current index; load once, ask many times."""

    def __init__(self, settings: Settings, encoder: Encoder, stored: StoredIndex) -> None:
        one_blas_thread()  # small products: threads only wait on each other (blas_threads.py)
        safety_rules()  # compiled now, not by every request thread arriving at once
        self.settings = settings
        self.encoder = encoder
        self._known_words = model_words(settings.model)  # never read as typos (qa_bot/spelling.py)
        # One attribute holds the index in use, so swapping it is atomic: a request takes it once
        # (`retriever = self._retriever`) and finishes on that version even if a newer one arrives.
        self._retriever = self._retriever_for(stored)
        self._reload_lock = threading.Lock()
        self._batcher = MicroBatcher(encoder.encode, settings.batch_max_size, settings.batch_wait_ms / 1000)
        # Emergencies in words no pattern lists: the reviewed examples nearest in meaning (safety_neighbours.py).
        self.neighbours = EmergencyNeighbours.embedded(encoder, settings.onnx_dir)
        self._query_log = open_query_log(settings)
        # Called with every answer `ask` gives, whatever asked (the web layer counts them for /metrics).
        self.answer_observers: list[Callable[[Answer], None]] = []

    def _retriever_for(self, stored: StoredIndex) -> Retriever:
        ranker = Ranker(stored, self.encoder, self.settings)
        return Retriever(stored, self.settings.candidates, ranker)

    @property
    def stored(self) -> StoredIndex:
        """The index version being served."""
        return self._retriever.stored

    @classmethod
    def load(cls, settings: Settings | None = None, encoder: Encoder | None = None) -> QABot:
        """Load the question encoder (unless given: `Settings.query_backend`'s) and the current index;
        refuse a stale index."""
        settings = settings or Settings.from_env()
        encoder = encoder or question_encoder(settings)
        change_journal.settle(settings)  # a maintainer's change cut short is completed or undone first
        stored = read_index(settings.index_dir)
        require_fresh(stored, settings, encoder.weights_sha256)
        return cls(settings, encoder, stored)

    def clean_query(self, text: object) -> str:
        """Normalise a query, or raise `InvalidQuery` saying how to fix it."""
        if not isinstance(text, str):
            raise InvalidQuery(texts().not_text)
        cleaned = " ".join(unicodedata.normalize("NFC", text).split())
        if not cleaned:
            raise InvalidQuery(texts().empty_question)
        if len(cleaned) > self.settings.max_query_chars:
            limit = self.settings.max_query_chars
            raise InvalidQuery(texts().question_too_long.format(length=len(cleaned), limit=limit))
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in cleaned):
            raise InvalidQuery(texts().control_characters)
        if mixed_script_words(cleaned):
            raise InvalidQuery(texts().mixed_script)
        return cleaned

    def with_subject(self, message: str, subject: object = "") -> str:
        """`message` (already cleaned) read after its optional `subject` line, which may be the only
        place naming its topic ("Parkinson" over a story): the subject becomes its first sentence.
        Raises `InvalidQuery` for a subject it cannot take."""
        if isinstance(subject, str) and not subject.strip():
            return message
        length = len(" ".join(subject.split())) if isinstance(subject, str) else 0
        if length > self.settings.max_subject_chars:
            raise InvalidQuery(texts().subject_too_long.format(length=length, limit=self.settings.max_subject_chars))
        cleaned = self.clean_query(subject)
        return f"{cleaned} {message}" if cleaned[-1] in ".?!:;" else f"{cleaned}. {message}"

    def refresh(self) -> bool:
        """Serve the newest index version if there is one; True when it switched.

        Requests in flight finish on the version they started with.
        """
        latest = current_version(self.settings.index_dir)
        if latest is None or latest == self.stored.version:
            return False
        with self._reload_lock:
            if latest == self.stored.version:
                return False
            stored = read_index(self.settings.index_dir)
            match = compare_index(stored.manifest, stored.documents, self.settings, self.encoder.weights_sha256)
            if not match.fresh:
                logger.error("index %s: %s; still serving %s", latest, "; ".join(match.reasons()), self.stored.version)
                return False
            self._retriever = self._retriever_for(stored)
        logger.info("now serving index %s", stored.version)
        return True

    def watch(self, interval: float = 2.0) -> threading.Thread:
        """Check for a new index version every `interval` seconds in a background thread."""

        def loop() -> None:
            while True:
                try:
                    self.refresh()
                except Exception:  # keep serving the current version whatever a new one holds
                    logger.exception("could not load the new index version")
                threading.Event().wait(interval)

        thread = threading.Thread(target=loop, name="qa-bot-index-watch", daemon=True)
        thread.start()
        return thread

    def search(self, query: str, limit: int = 10, subject: str = "") -> SearchResults:
        """The passages for `query` (with its optional `subject` line, `with_subject`) whose relevance
        reaches `search_min_relevance`, in the fitted ranker's order, best first: the order of their
        match (`SearchHit`), which staff are shown; each with its citation and highlighted sentence.
        Raises `InvalidQuery` for a query it cannot take."""
        query = within(self.with_subject(self.clean_query(query), subject), self.settings.max_retrieved_chars)
        retriever = self._retriever
        found = [p for p in self._search(retriever, query, limit) if p.score >= self.settings.search_min_relevance]
        # Not re-sorted by relevance: on LiveQA's 68 answerable messages that put a relevant document
        # first for 50.0% against 63.2% in the ranker's order (otherwise the same code).
        return search_results(query, found, retriever.stored.documents)

    def read_message(self, message: str, subject: str = "") -> list[AskedQuestion]:
        """What `message` (with its optional `subject` line) asks: its questions, each with its focus
        and kind (`message_reading.read_message`); raises `InvalidQuery` for a message it cannot take."""
        message = self.clean_query(message)
        self.with_subject(message, subject)  # the subject is checked as `ask` checks it
        subject = " ".join(subject.split())
        return read_message(message, self._retriever.focus, subject, self.settings.max_quotes)

    def ask(self, question: str, conversation: Sequence[str] = (), subject: str = "") -> Answer:
        """Answer `question` (a question or a message of up to `max_query_chars`, with its optional
        `subject` line, `with_subject`) with up to `max_quotes` verbatim passages, or a plain no-match.

        Safety notices come first: the emergency or crisis message, then the personal-advice notice.
        An emergency is never lost to an input error: such a question gets the emergency notice and
        the error message in an `Answer` instead of an `InvalidQuery`.
        """
        try:
            cleaned = self.with_subject(self.clean_query(question), subject)
        except InvalidQuery as err:
            safety = _patterns(question, subject)
            if not safety.urgent:
                raise
            refused = Answer(status="no_match", notices=(*safety.notices(), Notice("input_error", str(err))))
            return self._observed(refused)
        retriever = self._retriever
        safety, searched, vector, whole = self._read(retriever, question, subject, cleaned)
        answer = with_safety_notices(self._answer(retriever, searched, vector, conversation), safety)
        if self._query_log is not None:
            self._query_log.record(cleaned, answer, safety)
        return self._observed(answer)

    def safety_check(self, question: str, subject: str = "") -> SafetyCheck:
        """What `ask` reads in `question` for its safety notices: the patterns (`safety.check`), then,
        when they find no emergency, the reviewed examples nearest in meaning (`safety_neighbours`)."""
        try:
            cleaned = self.with_subject(self.clean_query(question), subject)
        except InvalidQuery:
            return _patterns(question, subject)
        return self._read(self._retriever, question, subject, cleaned)[0]

    def _read(self, retriever: Retriever, question: str, subject: str,
              cleaned: str) -> tuple[SafetyCheck, str, np.ndarray, bool]:
        """The safety reading of the raw `question`, the question as it is searched (`cleaned`, spelled,
        within `max_retrieved_chars`), its vector, and whether that vector is of all of it (a long
        message's asking part is embedded alone: `embedded_part`). The patterns read the question
        while it is embedded (the model call runs on the batcher's thread, on another core)."""
        searched = self._spelled(retriever, within(cleaned, self.settings.max_retrieved_chars))
        part = embedded_part(searched, self.settings.max_embedded_chars)
        embedding = self._batcher.submit(part)
        safety = _patterns(question, subject)
        vector, whole = embedding.result(), part == searched
        return self._close_in_meaning(safety, searched, vector, whole), searched, vector, whole

    def _close_in_meaning(self, safety: SafetyCheck, question: str, vector: np.ndarray, whole: bool) -> SafetyCheck:
        """`safety`, escalated by the reviewed examples nearest in meaning (`safety_neighbours`) when
        `vector` is of the whole question; a long message's sentences are read by the patterns only."""
        if safety.urgent or not whole:
            return safety
        return self.neighbours.check(safety, question, vector)

    def _observed(self, answer: Answer) -> Answer:
        for observe in self.answer_observers:
            observe(answer)
        return answer

    def _answer(self, retriever: Retriever, question: str, vector: np.ndarray, conversation: Sequence[str]) -> Answer:
        """Quotes for `question` (as searched, with its vector: `_read`), read in its conversation
        (qa_bot/conversation.py), or a no-match with questions the documents can answer, or a question back."""
        settings, documents = self.settings, retriever.stored.documents
        unnamed = bool(documents) and not names_a_topic(retriever, vector, settings)
        closest = closeness(retriever, vector) if unnamed else 0.0
        follow_up = unnamed and closest >= settings.follow_up_min_cosine
        if unnamed and conversation:
            carried = self._carried(retriever, question, vector, closest, conversation)
            if carried is not None:
                return carried
            follow_up = False  # "and my car insurance?", "is lupus contagious?" after ataxia: on its own
        passages = retriever.search(question, vector, settings.max_quotes)
        fitting = fitting_topics(passages, documents) if follow_up else ()
        if len(fitting) > 1:  # no topic named or carried, and several fit about equally: ask back
            notices = (Notice("clarify", texts().clarify),)
            return Answer(status="clarify", notices=notices, choices=fitting[:MAX_CHOICES])
        answer = build_answer(question, passages, documents, settings.min_relevance, settings.max_quotes)
        if answer.status == "no_match" and not unnamed and conversation:
            # close in meaning to some title, yet nothing matched: "is it hereditary, will my kids get it?"
            carried = self._carried(retriever, question, vector, closeness(retriever, vector), conversation)
            if carried is not None:
                return carried
        if answer.status == "no_match":
            return replace(answer, suggestions=suggestions(retriever, passages, settings.max_suggestions))
        return replace(answer, notices=(*not_covered(retriever, question, vector, answer.quotes), *answer.notices))

    def _carried(self, retriever: Retriever, question: str, vector: np.ndarray, closest: float,
                 conversation: Sequence[str]) -> Answer | None:
        """Quotes for `question` about its conversation's topic, with the notice saying so; None when the
        conversation has no topic or the question does not continue it (`continues_topic`) or names
        another condition."""
        topic = self._conversation_topic(retriever, conversation)
        share = topic_word_share(retriever, question, topic) if topic is not None else 0.0
        points_back = refers_back(question) or refers_to_someone(question)
        if topic is None or not continues_topic(closest, share, self.settings, points_back):
            return None
        if names_another_condition(retriever, question, topic.doc_ids):
            return None
        settings, documents = self.settings, retriever.stored.documents
        query = contextual_query(retriever, question, topic)
        query_vector = self._batcher.encode_one(query)
        quoted = about_topic(retriever, query, query_vector, vector, topic, settings.max_quotes)
        answer = build_answer(question, quoted, documents, 0.0, settings.max_quotes)
        carried = (topic.notice, *not_covered(retriever, question, vector, answer.quotes))
        return replace(answer, notices=(*carried, *answer.notices))

    def _conversation_topic(self, retriever: Retriever, conversation: Sequence[str]) -> Topic | None:
        earlier = [" ".join(str(t).split())[: self.settings.max_query_chars] for t in conversation]
        earlier = [self._spelled(retriever, t) for t in earlier if t][-self.settings.max_conversation :]
        if not earlier:
            return None
        doc_ids = conversation_topic(retriever, earlier, self.encoder.encode(earlier), self.settings)
        return Topic(doc_ids, topic_notice(doc_ids, retriever)) if doc_ids else None

    def _spelled(self, retriever: Retriever, text: str) -> str:
        """`text` with its typos read as the documents' words (qa_bot/spelling.py) and its abbreviations
        with the names they stand for (qa_bot/abbreviations.py)."""
        return retriever.abbreviations.expanded(corrected(text, retriever.stored.lexical, self._known_words))

    def _search(self, retriever: Retriever, query: str, limit: int) -> list[Passage]:
        vector = self._batcher.encode_one(embedded_part(query, self.settings.max_embedded_chars))
        return retriever.search(query, vector, limit)


def _patterns(question: object, subject: object) -> SafetyCheck:
    """The patterns' reading of a raw question, under its subject line when it has one."""
    return check(f"{subject}\n{question}" if isinstance(subject, str) and subject.strip() else question)


def with_safety_notices(answer: Answer, safety: SafetyCheck) -> Answer:
    """`answer` with the emergency, crisis and advice notices placed before its own notices."""
    if not safety.urgent and not safety.personal_advice:
        return answer
    return replace(answer, notices=urgent_first((*safety.notices(), *answer.notices)))
