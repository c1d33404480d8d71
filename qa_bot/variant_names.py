"""How a condition's name is read from a title or a question: its words as names are compared
(`name_words`), and the variant it names ("type 3", "2N", "ALG1").

The ranker's title features compare the first, its guard against quoting the wrong variant
(`ranking.py`'s docstring) the second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexical import content_words, terms

# Latin and Greek endings a name's words are read without, so that a question on the "cerebellum" names
# "Cerebellar degeneration" and "sclerosus" is "sclerosis": stems of 8 letters or more, keeping 7 or more.
# On the 4,286 NIH titles this joins 27 groups of the same word (cerebellar/cerebellum, esophagus/esophag,
# pigmentosa/pigmentosum, vertebra/vertebr, ...) and nothing else.
_NAME_ENDINGS = ("um", "ar", "al", "ic", "us", "ae", "a", "es", "i")


def name_words(text: str) -> frozenset[str]:
    """`content_words` of a name or of a question as it is compared with names: each term without a
    Latin or Greek ending (`_NAME_ENDINGS`)."""
    return frozenset(map(_name_word, terms(text)))


@lru_cache(maxsize=100_000)
def _name_word(term: str) -> str:
    if len(term) >= 8:
        for ending in _NAME_ENDINGS:
            if term.endswith(ending) and len(term) - len(ending) >= 7:
                return term[: -len(ending)]
    return term


# Variants are read from every word, single letters and digits included ("type A", "2"); matching
# words uses `content_words`.
_MARK_WORD = re.compile(r"[a-z0-9]+")
_TYPE = ("type", "types")
_NUMERALS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")
_ROMAN = {r: str(n) for n, r in enumerate(("", *_NUMERALS, "x", *("x" + r for r in _NUMERALS), "xx")) if r}


def _mark(word: str, after_type: bool) -> str | None:
    """The variant `word` names, if any: a word with a digit ("2", "2N", "ALG1"), a Roman numeral
    from II ("III" gives "3"), or after "type" a letter or numeral ("type A", "type I" gives "1")."""
    if any(c.isdigit() for c in word):
        return word
    if word in _ROMAN and (len(word) > 1 or after_type):
        return _ROMAN[word]
    return word if after_type and len(word) == 1 else None


@dataclass(frozen=True)
class Name:
    """A text's content words and the variants it names, each with the content words beside it."""

    words: frozenset[str]
    marks: tuple[tuple[str, frozenset[str]], ...]

    @classmethod
    def of(cls, text: str) -> Name:
        """The name read from `text` (a title or a question)."""
        words = _MARK_WORD.findall(text.lower())
        marks = []
        for i, word in enumerate(words):
            mark = _mark(word, i > 0 and words[i - 1] in _TYPE)
            if mark is not None:
                # The words beside it, looking past "type": "paraplegia type 8" is "paraplegia 8".
                before = next((w for w in reversed(words[:i]) if w not in _TYPE), "")
                after = next((w for w in words[i + 1 :] if w not in _TYPE), "")
                marks.append((mark, content_words(f"{before} {after}")))
        # Words matter only beside a variant: a name without one never conflicts.
        return cls(content_words(text) if marks else frozenset(), tuple(marks))

    def conflicts_with(self, other: Name) -> bool:
        """True when both fill a name they share with different variants: each names one, next to
        a shared word, that the other lacks ("spastic paraplegia type 8" and "... type 4"). A number
        elsewhere ("I am 45") or a name without variants ("osteogenesis imperfecta") never conflicts."""
        if not self.marks or not other.marks:
            return False
        shared = self.words & other.words
        mine = {m for m, beside in self.marks if beside & shared}
        theirs = {m for m, beside in other.marks if beside & shared}
        return bool(mine - {m for m, _ in other.marks}) and bool(theirs - {m for m, _ in self.marks})
