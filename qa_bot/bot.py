"""`QABot`: the library's front door, used alike by the CLI, the Gradio app and the tests."""

from __future__ import annotations

import unicodedata

from .answer import Answer, build_answer
from .config import Settings
from .embedding import Embedder, shared_embedder
from .errors import InvalidQuery
from .index_store import StoredIndex, read_index
from .indexing import require_fresh
from .retrieval import Passage, Retriever


class QABot:
    """Answers questions by quoting the current index; load once, ask many times."""

    def __init__(self, settings: Settings, embedder: Embedder, stored: StoredIndex) -> None:
        self.settings = settings
        self.embedder = embedder
        self.stored = stored
        self._retriever = Retriever(stored, settings.candidates)

    @classmethod
    def load(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> QABot:
        """Load the model (unless given) and the current index; refuse a stale index."""
        settings = settings or Settings.from_env()
        embedder = embedder or shared_embedder(settings.model)
        stored = read_index(settings.index_dir)
        require_fresh(stored, settings, embedder.weights_sha256)
        return cls(settings, embedder, stored)

    def clean_query(self, text: object) -> str:
        """Normalise a query, or raise `InvalidQuery` saying how to fix it."""
        if not isinstance(text, str):
            raise InvalidQuery("The question must be text.")
        cleaned = " ".join(unicodedata.normalize("NFC", text).split())
        if not cleaned:
            raise InvalidQuery("Please type a question.")
        if len(cleaned) > self.settings.max_query_chars:
            raise InvalidQuery(
                f"The question is {len(cleaned):,} characters long; please keep it under "
                f"{self.settings.max_query_chars:,} characters."
            )
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in cleaned):
            raise InvalidQuery("The question contains control or unprintable characters; please retype it.")
        return cleaned

    def search(self, query: str, limit: int = 10) -> list[Passage]:
        """Ranked passages for `query`, best first."""
        query = self.clean_query(query)
        return self._retriever.search(query, self.embedder.encode([query])[0], limit)

    def ask(self, question: str) -> Answer:
        """Answer `question` with up to `max_quotes` verbatim passages, or a plain no-match."""
        question = self.clean_query(question)
        passages = self.search(question, self.settings.max_quotes)
        return build_answer(
            question, passages, self.stored.documents, self.settings.min_relevance, self.settings.max_quotes
        )
