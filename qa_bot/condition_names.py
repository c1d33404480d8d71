"""Names of conditions beyond the corpus (`condition_names.txt`: the titles of NIH pages, CC BY 4.0), so a
question can be seen to name a condition the corpus may not cover ("how is carpal tunnel syndrome treated").

A name is compared as its set of terms (`lexical.content_words`), like a document's title in `focus.py`: a
question names it when it has every one of those terms."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .lexical import content_words

NAMES_FILE = Path(__file__).with_name("condition_names.txt")


class ConditionNames:
    """Condition names as term sets, found by any of their terms."""

    def __init__(self, names: Iterable[str]) -> None:
        self._by_term: dict[str, list[frozenset[str]]] = {}
        for key in dict.fromkeys(k for k in map(content_words, names) if k):
            self._by_term.setdefault(min(key), []).append(key)

    def named(self, words: frozenset[str]) -> tuple[frozenset[str], ...]:
        """The names (term sets) all of whose terms are among `words`, in file order."""
        return tuple(key for word in sorted(words) for key in self._by_term.get(word, ()) if key <= words)


@cache
def condition_names(path: Path = NAMES_FILE) -> ConditionNames:
    """The shipped names (read once)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return ConditionNames(line for line in lines if line.strip() and not line.startswith("#"))
