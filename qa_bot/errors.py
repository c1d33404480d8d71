"""Exceptions raised by the qa_bot library; the CLI and the app turn them into messages."""


class QABotError(Exception):
    """Base class: the message always says what to do next."""


class InvalidDocument(QABotError):
    """A document cannot be added to the corpus as it is."""


class InvalidQuery(QABotError):
    """A question or search query cannot be answered as typed."""


class IndexNotBuilt(QABotError):
    """No usable index exists yet."""


class StaleIndex(QABotError):
    """The index was built from another corpus, model or chunking."""


class ModelError(QABotError):
    """The embedding model is missing or its weights are not the expected ones."""


class VerbatimViolation(QABotError):
    """A quote is not an exact slice of its document: never shown to a user."""


class InvalidFeedback(QABotError):
    """A rating of an answer cannot be stored as given."""
