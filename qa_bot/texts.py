"""The fixed, reviewed texts that qa_bot may say in its own voice (see texts.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEXTS_FILE = Path(__file__).with_name("texts.toml")


@dataclass(frozen=True)
class Texts:
    """The reviewed templates, loaded once from `texts.toml`."""

    version: str
    reviewed_by: str
    disclaimer: str
    no_match: str
    unreviewed_source: str
    as_published_source: str
    emergency: str
    self_harm_crisis: str
    personal_advice: str
    not_text: str
    empty_question: str
    question_too_long: str
    subject_too_long: str
    control_characters: str
    mixed_script: str
    context_topic: str
    clarify: str
    suggestion_templates: dict[str, str]
    not_covered_templates: dict[str, str]
    did_you_mean: str
    you_could_ask: str
    copy_answer: str
    copied_answer: str
    copy_failed: str
    no_passages_match: str
    search_match: str


@cache
def texts() -> Texts:
    """Return the reviewed texts; a missing key fails loudly at start-up, not mid-answer."""
    with TEXTS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return Texts(**data)
