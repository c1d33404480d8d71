"""qa_bot: answers health questions only by quoting vetted documents word for word."""

from .answer import Answer, Highlight, Quote, SearchHit, SearchResults
from .bot import QABot
from .config import Settings
from .documents import Document
from .errors import (
    IndexNotBuilt,
    InvalidDocument,
    InvalidQuery,
    ModelError,
    QABotError,
    StaleIndex,
    VerbatimViolation,
)
from .notices import Notice
from .retrieval import Passage

__all__ = [
    "Answer",
    "Document",
    "Highlight",
    "IndexNotBuilt",
    "InvalidDocument",
    "InvalidQuery",
    "ModelError",
    "Notice",
    "Passage",
    "QABot",
    "QABotError",
    "Quote",
    "SearchHit",
    "SearchResults",
    "Settings",
    "StaleIndex",
    "VerbatimViolation",
]
