"""The focus of a message: the condition, drug, test or treatment it is about, as the corpus names it.

Names come from the documents: each title, the names a page gives its subject in its own words
("Sweet syndrome, also known as acute febrile neutrophilic dermatosis, is ...", "... (also called
ABPA)") and the abbreviation in brackets after the title ("Chronic obstructive pulmonary disease
(COPD) is ..."). A name is compared as its set of terms (`lexical.terms`: stemmed, stop words
dropped), so "cancer of the breast" is "breast cancer"; a word the corpus never uses is read as the
nearest word of a name when it is spelt nearly alike ("fibromalgia", "mediterean").

`FocusFinder.find` reads the message's candidate phrases: runs of adjacent content words, without
function words, numbers, words of asking a kind of question ("treatment", "contagious") or words
any message uses ("problem", "father", "suffering"); NLM's annotators mostly name the focus by such
a noun phrase of the message ("body lice", "exercise induced asthma"). A phrase holding a
document's name wins (the name in the subject line first, then in the part that asks, then the
longest, then the earliest), and the focus is then the whole phrase as typed with the name as the
corpus has it. A message naming no document's subject has as focus its phrase that most looks like
a name (`_phrase_specificity`), in the same order of places; when the corpus uses none of its
words, the focus is not in the corpus (`Focus.in_corpus`), and the bot answers no-match rather
than quote something loose. Verbs of the story ("caused", "stop", "died") and misspelt words of any message
("particullary") are no part of a phrase. On the dev part of bench/liveqa.py this agrees with NLM's focus for
69.5% of the messages (66.8% before verbs and misspelt message words were left out, 50% for a single word of
names).
"""

from __future__ import annotations

import difflib
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
# A one-word name found in more than this share of the passages (and at least COMMON_NAME_PASSAGES
# of them) names no document in particular ("type", "disease").
COMMON_NAME_SHARE = 0.02
COMMON_NAME_PASSAGES = 50
# Where a page names its subject otherwise: "<title>, also known as <name>," or "<title> (<ABBR>)".
_NAME_WORDS = r"(?:also|sometimes|formerly|commonly|previously)\s+(?:called|known\s+as|referred\s+to\s+as)"
_OTHER_NAME = re.compile(rf"^[\s,(\-–]*{_NAME_WORDS}\s+([^.,;:()]{{3,80}})", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^\s*\(([A-Z][A-Za-z0-9-]{1,9})\)")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_ABBREVIATED = re.compile(r"\w+['’]s$")  # a possessive: "kartagener's"
_POSSESSIVE = re.compile(r"['’]s$")
_IN_ADDRESS = re.compile(r"\.\w")  # "ClinicalTrials.gov", "x.ray": part of an address, not a name
_CODE = re.compile(r"[a-z]+\d+[a-z]?")  # "sca3", "spg11"
_JOINER = re.compile(r"[ \t]*|[ \t]*-[ \t]*")
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
# Words of messages that name no focus, though the corpus uses them ("problem", "question").
_MESSAGE_WORDS = """
problem problems issue issues question questions information info general specific urgent enquiry inquiry
advice consultation consult complaint feedback required request suffering suffer suffered diagnosed
having taking taken tried trying getting going feel feeling felt lot lots thing things kind sort really
sure able unable right left good bad best new last first next recently currently use using used take
takes took think thought found find say said told tell come came went gone give gave make made put try
between during over off through into onto upon within without against toward towards across around
father mother son daughter husband wife brother sister child children kid kids baby boy girl man woman
men women people person friend patient patients someone somebody everyone family age aged
study studies article articles research site website email reply recommendation recommendations
always never often sometimes usually still even already maybe perhaps especially particularly
doctor doctors physician physicians specialist specialists psychiatrist psychiatrists hospital clinic nurse
stop stops stopped stopping cause caused causes causing occur occurs occurred occurring die died dies dying
begin begins beginning began begun call called calls calling pending appear appears appeared helps helped
"""
MESSAGE_WORDS = frozenset(_MESSAGE_WORDS.split())
# A word the corpus lacks that is spelt nearly as a long word of any message is read as it (stricter than names).
MESSAGE_SPELLING_CUTOFF = 0.85
_LONG_MESSAGE_WORDS = sorted(w for w in MESSAGE_WORDS | FUNCTION_WORDS if len(w) >= MIN_SPELLING_LENGTH + 2)
MAX_PHRASE_WORDS = 4
NAME_WORD, CORPUS_WORD, OTHER_WORD = 1.0, 0.5, 0.3
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


def after_title(doc: Document) -> list[str]:
    """What follows each mention of `doc`'s title in the head of its text (where a page names its subject)."""
    head = doc.body[:NAME_HEAD_CHARS]
    return [head[mention.end() :] for mention in re.finditer(re.escape(doc.title), head, re.IGNORECASE)]


def other_names(doc: Document) -> list[str]:
    """The names a document gives its subject besides its title, read where its text names the title."""
    return [found.group(1).strip() for rest in after_title(doc)
            for pattern in (_OTHER_NAME, _ABBREVIATION) if (found := pattern.match(rest))]


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
        if message_word := difflib.get_close_matches(lower, _LONG_MESSAGE_WORDS, n=1, cutoff=MESSAGE_SPELLING_CUTOFF):
            return _Word(message_word[0], None, True)  # a word of any message, misspelt ("particullary")
        close = difflib.get_close_matches(lower, self._name_words.get(lower[0], ()), n=1, cutoff=SPELLING_CUTOFF)
        return _Word(close[0], stem(close[0]), True) if close else _Word(surface, term[0], False)

    def find(self, text: str, asked: str = "", subject: str = "") -> Focus | None:
        """The focus of `subject` and `text`: the phrase (`_phrases`) in the subject, else in `asked`
        (the part of `text` that asks), else anywhere, that names a document's subject (the longest
        such name, then the earliest) or, when none does, its most specific phrase; None when there
        are no content words."""
        if subject:
            text = f"{subject}. {text}"
            asked = asked or text
        words = [(m.start(), m.end(), self._word(m.group())) for m in _WORD.finditer(text)]
        low, high = _span_of(text, asked)

        def place(i: int, j: int) -> int:
            if subject and words[j][1] <= len(subject):
                return 2
            return 1 if low <= words[i][0] and words[j][1] <= high else 0

        phrases = self._phrases(text, words)
        best: tuple | None = None
        for i, j, key in self._named(text, words):
            # the typed phrase: the name with the words of its phrase just before it ("exercise induced asthma")
            first, last = next(((a, b) for a, b in phrases if a <= i and j <= b), (i, j))
            rank = (True, place(i, j), len(key), -words[i][0])
            if best is None or rank > best[0]:
                best = (rank, first, last, key)
        for i, j in phrases:
            rank = (False, place(i, j), self._phrase_specificity(words[i : j + 1], text), -words[i][0])
            if best is None or rank > best[0]:
                best = (rank, i, j, None)
        if best is None:
            return None
        _, i, j, key = best
        typed = " ".join(w.surface for _, _, w in words[i : j + 1])
        if key is not None:
            name, doc_ids = self._names[key]
            return Focus(typed, name, tuple(doc_ids), True)
        return Focus(typed, typed, (), any(w.known for _, _, w in words[i : j + 1]))

    def _named(self, text: str, words: list) -> list[tuple[int, int, frozenset[str]]]:
        """Every run of words (first, last) whose terms are a name of the corpus, with that name's key."""
        found = []
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
                    found.append((i, j, key))
        return found

    def _typed_as_named(self, words: list, key: frozenset[str], text: str) -> bool:
        """False for a name written in capitals ("HE", "FIRES") met as a plain word ("he", "fires")."""
        name = self._names[key][0]
        if len(words) > 1 or not name.isupper() or text.isupper():
            return True
        return words[0][2].surface.isupper()

    def _phrases(self, text: str, words: list) -> list[tuple[int, int]]:
        """The message's candidate foci: runs of adjacent content words (only spaces, hyphens or
        slashes between; no function words, numbers, words of asking a kind of question or words
        any message uses, `MESSAGE_WORDS`), each its last `MAX_PHRASE_WORDS` words."""
        runs: list[list[int]] = [[]]
        for n, (start, _, w) in enumerate(words):
            if not self._phrase_word(w, text) or _IN_ADDRESS.match(text, words[n][1]) or \
                    start and _IN_ADDRESS.match(text, start - 1):
                runs.append([])
                continue
            if runs[-1] and _JOINER.fullmatch(text[words[runs[-1][-1]][1] : start]) is None:
                runs.append([])
            runs[-1].append(n)
        return [(r[-MAX_PHRASE_WORDS:][0], r[-1]) for r in runs if r]

    @staticmethod
    def _phrase_word(w: _Word, text: str) -> bool:
        """Whether a word may be part of a focus: a content word, or an abbreviation in capitals or
        with digits ("MRSA", "SCA3"), not a word of asking or of any message."""
        lower = _POSSESSIVE.sub("", w.surface.lower())
        if lower in MESSAGE_WORDS or asks_a_kind(lower):
            return False
        if w.term is None:  # a short word the corpus lacks: an abbreviation ("IBS"), a code, "lice"
            return lower not in FUNCTION_WORDS and bool(terms(lower)) and (
                len(lower) > 1 and w.surface.isupper() and not text.isupper() or _CODE.fullmatch(lower) is not None
                or len(lower) >= MIN_SPELLING_LENGTH - 1 and lower.isalpha())
        return lower.isalpha() or _ABBREVIATED.match(lower) is not None or _CODE.fullmatch(lower) is not None

    def _phrase_specificity(self, words: list, text: str) -> float:
        """How much a phrase looks like the name of a condition, drug or test: each word a name of the
        corpus uses (or an abbreviation in capitals) counts `NAME_WORD`, another word the corpus uses
        `CORPUS_WORD`, a word it lacks `OTHER_WORD` (chosen on the dev part of bench/liveqa.py)."""

        def weight(w: _Word) -> float:
            if w.term in self._name_terms or len(w.surface) > 1 and w.surface.isupper() and not text.isupper():
                return NAME_WORD
            return CORPUS_WORD if w.known and w.term else OTHER_WORD

        return sum(weight(w) for _, _, w in words)


def _span_of(text: str, part: str) -> tuple[int, int]:
    """Where `part` lies in `text` (all of it when absent)."""
    at = text.rfind(part) if part else -1
    return (at, at + len(part)) if at >= 0 else (0, len(text))
