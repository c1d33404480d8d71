"""Emergencies told in words no pattern foresaw: the reviewed example phrasings nearest in meaning.

`safety_patterns.toml` [neighbours] names a file of reviewed examples (`safety_examples.jsonl`):
emergencies and crises as patients wrote them, each with the texts.toml notice it shows, and near
misses, which show none. A question the patterns did not escalate escalates, as the group
[neighbours] names, when its `k` nearest examples (cosine of the embeddings of the model that
searches) all show a notice and the nearest is at least `min_similarity` close; it gets the notices
of those examples, the most frequent first. One near miss among the `k` is enough to hold it back.

Deterministic like the patterns: the examples are fixed and reviewed, their vectors are embedded
once per model and kept beside the ONNX export (`phrase_vectors`), and ties are broken by file order.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np

from .lexical import content_words
from .model_files import Encoder
from .phrase_vectors import phrase_vectors
from .safety import PATTERNS_FILE, normalise, rules
from .safety_reading import NOTICE_KINDS, SafetyCheck


@dataclass(frozen=True)
class Example:
    """One reviewed phrasing: its text, the texts.toml notice it shows (None: a near miss), its set."""

    text: str
    message: str | None
    source: str


@dataclass(frozen=True)
class NeighbourRule:
    """`[neighbours]` of `safety_patterns.toml` and the examples its file holds."""

    name: str
    k: int
    min_similarity: float
    max_chars: int
    examples: tuple[Example, ...]
    asked_in_general: re.Pattern[str] = re.compile(r"(?!)")  # never matches unless the file gives one
    min_words: int = 0


@cache
def neighbour_rule(patterns_file: Path = PATTERNS_FILE) -> NeighbourRule:
    """The rule and its examples, checked: every notice named must be an emergency or crisis text."""
    section = tomllib.loads(patterns_file.read_text(encoding="utf-8"))["neighbours"]
    path = patterns_file.with_name(section["examples"])
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    examples = tuple(Example(row["text"], row["message"], row["source"]) for row in rows)
    if unknown := {e.message for e in examples} - {None, *NOTICE_KINDS}:
        raise ValueError(f"{path}: unknown notices {sorted(unknown)}; use one of {sorted(NOTICE_KINDS)} or null")
    if not any(e.message for e in examples) or all(e.message for e in examples):
        raise ValueError(f"{path}: needs both emergency phrasings and near misses")
    return NeighbourRule(section["name"], int(section["k"]), float(section["min_similarity"]),
                         int(section["max_chars"]), examples, re.compile(section["asked_in_general"]),
                         int(section["min_words"]))


class EmergencyNeighbours:
    """The examples' unit vectors, and the notices a question's vector is close to."""

    def __init__(self, rule: NeighbourRule, vectors: np.ndarray) -> None:
        self.rule = rule
        self._vectors = vectors
        self._messages = [e.message for e in rule.examples]

    @classmethod
    def embedded(cls, encoder: Encoder, folder: Path, rule: NeighbourRule | None = None) -> EmergencyNeighbours:
        """The rule's examples embedded by `encoder` (read from `folder` after the first time)."""
        rule = rule or neighbour_rule()
        return cls(rule, phrase_vectors(encoder, [e.text for e in rule.examples], folder))

    def without(self, sources: set[str]) -> EmergencyNeighbours:
        """The same rule without the examples of `sources` (a benchmark reads a set without its own lines)."""
        kept = [i for i, e in enumerate(self.rule.examples) if e.source not in sources]
        examples = tuple(self.rule.examples[i] for i in kept)
        return EmergencyNeighbours(replace(self.rule, examples=examples), self._vectors[kept])

    def messages(self, vector: np.ndarray) -> tuple[str, ...]:
        """The notices of the `k` examples nearest to a question's unit vector when all of them show one
        and the nearest is close enough; otherwise none."""
        similarity = self._vectors @ vector
        k = min(self.rule.k, len(similarity))
        nearest = np.argsort(-similarity, kind="stable")[:k]
        shown = [self._messages[i] for i in nearest]
        if not k or similarity[nearest[0]] < self.rule.min_similarity or None in shown:
            return ()
        return tuple(message for message, _ in Counter(shown).most_common())

    def check(self, found: SafetyCheck, question: str, vector: np.ndarray) -> SafetyCheck:
        """`found` (the patterns' reading of `question`) escalated when it is not urgent, the question has at
        most `max_chars` characters and at least `min_words` content words, does not ask about a condition in
        general (`asked_in_general`), does not deny only a past, a habit or a wish (as `[similar]` reads them:
        "he never answers his phone") and its unit vector is close to emergency examples only."""
        normalised = normalise(question)
        if (found.urgent or len(question) > self.rule.max_chars
                or rules().similar.denies_only_what_is_not_now(normalised)
                or len(content_words(normalised)) < self.rule.min_words
                or self.rule.asked_in_general.search(normalised)
                or not (messages := self.messages(vector))):
            return found
        return replace(found, emergencies=(self.rule.name,), messages=messages)
