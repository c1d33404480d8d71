"""The focus of a message: the condition, drug, test or treatment it is about, as the corpus names it.

Names come from the documents: each title, the names a page gives its subject in its own words
("Sweet syndrome, also known as acute febrile neutrophilic dermatosis, is ...", "... (also called
ABPA)") and the abbreviation in brackets after the title ("Chronic obstructive pulmonary disease
(COPD) is ..."). A name is compared as its set of terms (`lexical.terms`: stemmed, stop words
dropped), so "cancer of the breast" is "breast cancer"; a word the corpus never uses is read as the
nearest word of a name when it is spelt nearly alike ("fibromalgia", "mediterean").

`FocusFinder.find` prefers a name in the part of the message that asks, then the longest name,
then the earliest. A message naming no document's subject has as focus the most specific words of
its asking part (those fewest passages use); when those are words the corpus never uses, the
focus is not in the corpus and the bot answers no-match rather than quote something loose.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .documents import Document
from .lexical import LexicalIndex, stem, terms
from .question_type import asks_a_kind

# How alike (difflib's ratio) a word the corpus lacks must be to a name's word to be read as it.
SPELLING_CUTOFF = 0.8
MIN_SPELLING_LENGTH = 5
MAX_NAME_WORDS = 8
MAX_FALLBACK_WORDS = 3
# A one-word name found in more than this share of the passages (and at least COMMON_NAME_PASSAGES
# of them) names no document in particular ("type", "disease").
COMMON_NAME_SHARE = 0.02
COMMON_NAME_PASSAGES = 50
# Where a page names its subject otherwise: "<title>, also known as <name>," or "<title> (<ABBR>)".
_NAME_WORDS = r"(?:also|sometimes|formerly|commonly|previously)\s+(?:called|known\s+as|referred\s+to\s+as)"
_OTHER_NAME = re.compile(rf"^[\s,(\-–]*{_NAME_WORDS}\s+([^.,;:()]{{3,80}})", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^\s*\(([A-Z][A-Za-z0-9-]{1,9})\)")
_WORD = re.compile(r"\w+")
# A definition: the name, its possessive, a bracketed short name or an ", also called ...," aside, then "is".
_DEFINING = r"(?:['’]s)?(?:\s*\([^)]{1,60}\))?(?:\s*,[^.]{0,160},)?\s+(?:is|are|refers\s+to|describes)\b"
_HEADING_QUESTION = re.compile(r"^[^.?!]{0,200}\?\s*")
DEFINITION_HEAD_CHARS = 400
# Words of any message that name nothing: pronouns, auxiliaries, the verbs of asking and telling.
_FUNCTION_WORDS = """
i me my mine we us our you your he him his she her they them who whom which what when where why how
am is are was were be been being have has had having do does did done can could will would shall
should may might must get got getting know want wanted need needs like please thank thanks help
hello hi dear sir madam any some anything something very much more most also just still so im ive
dont cant u pls plz about other others one two three year years old ago day days time times since
from after before now then there here wondering wonder tell let looking look find way ask asked
question questions answer send
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
NAME_HEAD_CHARS = 3000


@dataclass(frozen=True)
class Focus:
    """What a message is about: `text` as typed (spelling corrected), `name` as the corpus calls it
    (a title or another name; `text` when it names no document), the documents it names, and whether
    the corpus uses its words at all."""

    text: str
    name: str
    doc_ids: tuple[str, ...]
    in_corpus: bool


@dataclass(frozen=True)
class _Word:
    surface: str
    term: str | None  # None for a stop word
    known: bool  # the corpus uses it (after spelling correction)


def other_names(doc: Document) -> list[str]:
    """The names a document gives its subject besides its title, read where its text names the title."""
    names = []
    head = doc.body[:NAME_HEAD_CHARS]
    for mention in re.finditer(re.escape(doc.title), head, re.IGNORECASE):
        rest = head[mention.end() :]
        for pattern in (_OTHER_NAME, _ABBREVIATION):
            found = pattern.match(rest)
            if found:
                names.append(found.group(1).strip())
    return names


def defines(text: str, names: Sequence[str]) -> bool:
    """Whether a passage opens by saying what one of `names` is ("Spinocerebellar ataxia type 6 (SCA6)
    is a condition ...", "Friedreich's ataxia is ..."), after a heading question if it starts with one."""
    head = _HEADING_QUESTION.sub("", text[:DEFINITION_HEAD_CHARS], count=1).lstrip()
    return any(re.match(rf"(?:the\s+)?{_loosely(name)}{_DEFINING}", head, re.IGNORECASE) for name in names if name)


def _loosely(name: str) -> str:
    """A pattern for `name` with any spacing and a possessive after any word ("Friedreich's ataxia")."""
    return r"(?:['’]s)?\s+".join(map(re.escape, name.split()))


def name_key(text: str) -> frozenset[str]:
    """A name compared loosely: its set of terms."""
    return frozenset(terms(text))


class FocusFinder:
    """Finds a message's focus among the names of one corpus; built once per loaded index."""

    def __init__(self, documents: Mapping[str, Document], lexical: LexicalIndex) -> None:
        self._names: dict[frozenset[str], tuple[str, list[str]]] = {}
        for doc_id in sorted(documents):
            doc = documents[doc_id]
            for name in (doc.title, *other_names(doc)):
                key = name_key(name)
                if key and not self._too_common(key, lexical):
                    self._names.setdefault(key, (name, []))[1].append(doc_id)
        self._lexical = lexical
        surfaces = {w.lower() for name, _ in self._names.values() for w in _WORD.findall(name)}
        self._name_words: dict[str, list[str]] = {}
        for word in sorted(surfaces):
            if len(word) >= MIN_SPELLING_LENGTH - 1 and word.isalpha():
                self._name_words.setdefault(word[0], []).append(word)
        self._name_terms = {t for key in self._names for t in key}
        self._longest = max((len(k) for k in self._names), default=0)

    @staticmethod
    def _too_common(key: frozenset[str], lexical: LexicalIndex) -> bool:
        """A one-word name that many passages use ("type", "disease") marks no document."""
        frequency = lexical.document_frequency(next(iter(key))) if len(key) == 1 else 0
        return frequency > max(COMMON_NAME_SHARE * lexical.size, COMMON_NAME_PASSAGES)

    @lru_cache(maxsize=50_000)  # noqa: B019 - one finder per index, words repeat across messages
    def _word(self, surface: str) -> _Word:
        lower = surface.lower()
        term = terms(lower)
        if not term or lower in FUNCTION_WORDS:
            return _Word(surface, None, True)
        if self._lexical.document_frequency(term[0]):
            return _Word(surface, term[0], True)
        if not lower.isalpha() or len(lower) < MIN_SPELLING_LENGTH:
            return _Word(surface, None, True)  # a short or odd token the corpus lacks ("im", "2nd"): noise
        close = difflib.get_close_matches(lower, self._name_words.get(lower[0], ()), n=1, cutoff=SPELLING_CUTOFF)
        return _Word(close[0], stem(close[0]), True) if close else _Word(surface, term[0], False)

    def find(self, text: str, asked: str = "", subject: str = "") -> Focus | None:
        """The focus of `subject` and `text`, preferring names in the subject or inside `asked` (the
        part of `text` that asks); None when neither has content words."""
        if subject:
            text = f"{subject}. {text}"
            asked = asked or text
        words = [(m.start(), m.end(), self._word(m.group())) for m in _WORD.finditer(text)]
        low, high = _span_of(text, asked)
        best: tuple | None = None
        for i in range(len(words)):
            if words[i][2].term is None:
                continue
            for j in range(i, min(len(words), i + MAX_NAME_WORDS)):
                if words[j][2].term is None:
                    continue
                key = frozenset(w.term for _, _, w in words[i : j + 1] if w.term)
                if len(key) > self._longest:
                    break
                if key in self._names and self._typed_as_named(words[i : j + 1], key, text):
                    inside = low <= words[i][0] and words[j][1] <= high or words[j][1] <= len(subject)
                    rank = (inside, len(key), -words[i][0])
                    if best is None or rank > best[0]:
                        best = (rank, i, j, key)
        if best is not None:
            _, i, j, key = best
            name, doc_ids = self._names[key]
            typed = " ".join(w.surface for _, _, w in words[i : j + 1])
            return Focus(typed, name, tuple(doc_ids), True)
        if subject:
            return self._specific_words(subject, words[: _count_before(words, len(subject))], 0, len(subject))
        return self._specific_words(text, words, low, high)

    def _typed_as_named(self, words: list, key: frozenset[str], text: str) -> bool:
        """False for a short name written in capitals ("HE", "ME") met as a plain word ("he", "me")."""
        name = self._names[key][0]
        if len(words) > 1 or len(name) > 4 or not name.isupper() or text.isupper():
            return True
        return words[0][2].surface.isupper()

    def _specific_words(self, text: str, words: list, low: int, high: int) -> Focus | None:
        """The longest run of words that names use (the most specific on a tie), inside the asking part
        when it has one; with no such run anywhere, a word the corpus never uses (not in the corpus)."""
        content = [w for w in words if w[2].term]
        if not content:
            return None
        inside = [w for w in content if low <= w[0] and w[1] <= high]
        runs = self._name_runs(text, inside) or self._name_runs(text, content)
        if not runs:
            # Not in the corpus: the asking part's specific words (not words of asking a kind of
            # question, "contagious", "treatment") are all words the corpus never uses.
            specific = [w for w in inside or content if len(w[2].surface) >= MIN_SPELLING_LENGTH]
            specific = [w for w in specific if not asks_a_kind(w[2].surface)]
            unknown = [w for w in specific if not w[2].known]
            known = [w for w in specific if w[2].known]
            typed = (known or unknown or inside or content)[0][2].surface
            return Focus(typed, typed, (), not unknown or bool(known))
        best = max(runs, key=lambda r: (len(r), sum(self._specificity(w[2].term) for w in r)))
        typed = " ".join(w[2].surface for w in best)
        return Focus(typed, typed, (), True)

    def _name_runs(self, text: str, words: list) -> list[list]:
        """Runs of adjacent words (nothing but spaces between) that names use, each at most
        `MAX_FALLBACK_WORDS` long."""
        runs: list[list] = [[]]
        for w in words:
            if not (w[2].known and w[2].term in self._name_terms):
                runs.append([])
                continue
            if runs[-1] and text[runs[-1][-1][1] : w[0]].strip():
                runs.append([])
            runs[-1].append(w)
        return [r[:MAX_FALLBACK_WORDS] for r in runs if r]

    def _specificity(self, term: str) -> float:
        size = max(self._lexical.size, 1)
        return math.log(size / (1 + self._lexical.document_frequency(term)))


def _count_before(words: list, end: int) -> int:
    return sum(1 for w in words if w[1] <= end)


def _span_of(text: str, part: str) -> tuple[int, int]:
    """Where `part` lies in `text` (all of it when absent)."""
    at = text.rfind(part) if part else -1
    return (at, at + len(part)) if at >= 0 else (0, len(text))
