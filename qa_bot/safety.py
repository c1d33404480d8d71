"""Emergency, crisis and personal-advice detection, driven by the reviewed `safety_patterns.toml`.

Deterministic: the same question always gives the same result. A question is normalised (lower
case, look-alike letters folded, apostrophes dropped, typos corrected) and matched against the
reviewed patterns. A second, general mechanism (`[sudden_signs]`) escalates a sentence that has a
happening-now cue ("suddenly", "10 minutes ago", "right now") together with a warning sign from one of
its reviewed word groups (face, speech, breathing, ...), unless the sentence also has a chronic, past
or general cue ("for months", "in 2019", "what are the signs of"), a sentence that turns to a new state
("has had ataxia for years, but today ...") being also read from the turn on; a sign from its `acute` list needs
only a particular person ("my dad", "she", "I") instead of a now cue. A third (`[similar]`) escalates a
sentence close to one of the reviewed example emergency phrasings: the share of the example's word
stems that the sentence also has, after normalising, stop words dropped and listed synonyms merged,
reaches a reviewed threshold, again unless the sentence has a `not_now` cue. The physical emergency
groups are not matched in a sentence that says it was long ago or only "if" (`[past_or_if]`), nor the
crisis group in one that tells of it years ago (`years_ago`), and the physical checks read a sentence
without the signs it says are absent (`[denied]`: "no slurred speech or weakness"). The notices shown
are texts from `texts.toml`, named by each pattern group.
"""

from __future__ import annotations

import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache, partial
from pathlib import Path

from .compiled_patterns import CACHE_FOLDER, PatternCache
from .required_literals import NeedleScan, PatternList
from .safety_reading import NOTICE_KINDS, SafetyCheck
from .safety_rules import PERSON, Combination, Group, Similar, one_slip, stem

logger = logging.getLogger(__name__)

PATTERNS_FILE = Path(__file__).with_name("safety_patterns.toml")

# Only this much of a question is checked, so a pasted book cannot stall the bot.
MAX_CHECKED_CHARS = 20_000
MIN_FUZZY_WORD = 5
MIN_FUZZY_TARGET = 6

# Cyrillic and Greek letters that look like Latin ones: folded so "kіll" (Cyrillic і) still matches.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһкмтвнгпαεικνορτυχ",
    "aeopcyxijsdhkmtbhrnaeikvoptux",
)
_APOSTROPHES = re.compile(r"['\u2018\u2019\u02bc`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")
_MACRO = re.compile(r"\{([a-z_]+)\}")
# Sentences are judged one by one for `[sudden_signs]`, so "In 2019 ..." does not cancel a later "Now ...".
# A line this short is a list item ("- left arm numb"): a list is also read as one sentence, its now cue and its
# signs often on different lines.
LIST_ITEM_WORDS = 8
_SENTENCE_END = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[!?;\n])+")  # not the point of "38.5"


@dataclass(frozen=True)
class Rules:
    """Everything loaded from `safety_patterns.toml`."""

    version: str
    emergency: tuple[Group, ...]
    sudden: Combination
    similar: Similar
    past_or_if: PatternList
    years_ago: PatternList
    denied: PatternList
    advice: tuple[Group, ...]
    typos: dict[str, str]
    fuzzy_words: frozenset[str]
    keep: frozenset[str]
    scan: NeedleScan = field(compare=False, repr=False)  # every pattern's needles (`required_literals.NeedleScan`)


def check(text: object) -> SafetyCheck:
    """Check a raw question (any object: only text can match) for emergencies and advice requests."""
    if not isinstance(text, str):
        return SafetyCheck()
    reading = _Reading(text[:MAX_CHECKED_CHARS])
    active = rules()
    try:
        hits = [(g.name, g.message) for g in active.emergency if _group_matches(g, reading)]
        if _sudden_signs(reading):
            hits.append((active.sudden.name, active.sudden.message))
        hits.extend((active.similar.name, message) for message in dict.fromkeys(_similar_examples(reading).values()))
        result = SafetyCheck(
            emergencies=tuple(name for name, _ in hits),
            messages=tuple(dict.fromkeys(message for _, message in hits)),
            personal_advice=any(g.matches(reading.normalised) for g in active.advice),
        )
    finally:
        active.scan.forget()  # the question's sentences are not kept once it is checked
    if result.urgent:
        logger.info("safety: emergency patterns matched: %s", ", ".join(result.emergencies))
    return result


class _Reading:
    """One text as the checks read it, each piece worked out once: normalised whole, its normalised
    sentences (`_sentences`), and for a normalised text its `undenied` form, whether it has a `not_now`
    cue (`Combination.blocked`) and whether a `[past_or_if]` pattern (or one of its `years_ago`) matches it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._undenied: dict[str, str] = {}
        self._blocked: dict[str, bool] = {}
        self._past: dict[tuple[str, bool], bool] = {}

    @cached_property
    def normalised(self) -> str:
        return normalise(self.text)

    @cached_property
    def sentences(self) -> list[str]:
        return _sentences(self.text)

    def undenied(self, normalised: str) -> str:
        if normalised not in self._undenied:
            self._undenied[normalised] = undenied(normalised)
        return self._undenied[normalised]

    def blocked(self, normalised: str) -> bool:
        if normalised not in self._blocked:
            self._blocked[normalised] = rules().sudden.blocked(normalised)
        return self._blocked[normalised]

    def past_or_if(self, normalised: str, crisis: bool = False) -> bool:
        if (normalised, crisis) not in self._past:
            patterns = rules().years_ago if crisis else rules().past_or_if
            self._past[normalised, crisis] = patterns.matches(normalised)
        return self._past[normalised, crisis]


def sudden_signs(text: str) -> tuple[str, ...]:
    """The `[sudden_signs]` sign groups shown by any sentence of `text` that also says it is happening now."""
    return _sudden_signs(_Reading(text))


def _sudden_signs(reading: _Reading) -> tuple[str, ...]:
    combination = rules().sudden
    found: dict[str, None] = {}
    for sentence in reading.sentences:
        shown = reading.undenied(sentence)
        if not reading.blocked(shown):
            found.update(dict.fromkeys(combination.signs_now(shown)))
        elif combination.lasting_only(shown):
            found.update(dict.fromkeys(combination.signs_now(shown, lasting=True)))
        for now in combination.now_after_past(shown) if reading.blocked(shown) else ():
            if not reading.blocked(now):
                found.update(dict.fromkeys(s for s in combination.signs_now(now) if s in combination.after_past_signs))
    return tuple(found)


def _sentences(text: str) -> list[str]:
    """The normalised sentences of a text, each followed by its tails after a turn to a new state; and a list
    (two or more lines of at most `LIST_ITEM_WORDS` words: "- chest pain", "- started 15 min ago") also as one."""
    turned = rules().sudden.clauses
    found = [clause for sentence in _SENTENCE_END.split(text) for clause in turned(normalise(sentence))]
    if len(lines := text.splitlines()) < 2:  # one line: no list, and no second reading of the whole text
        return found
    items = [line for line in map(normalise, lines) if line and len(line.split()) <= LIST_ITEM_WORDS]
    return [*found, " ".join(items)] if len(items) >= 2 else found


def undenied(normalised: str) -> str:
    """A normalised text without the signs it says are absent (`[denied]`: "no slurred speech or weakness")."""
    for pattern in rules().denied:
        normalised = pattern.sub(" ", normalised)
    return " ".join(normalised.split())


def _group_matches(group: Group, reading: _Reading) -> bool:
    """A group matches; a physical emergency group only on signs not denied, in a sentence not said to be long
    ago or "if"; the crisis group in a sentence not told of years ago."""
    crisis = group.message != "emergency"
    text = reading.normalised if crisis else reading.undenied(reading.normalised)
    if not group.matches(text):
        return False
    past = partial(reading.past_or_if, crisis=crisis)
    if not past(reading.normalised) and not any(map(past, reading.sentences)):
        return True  # the match may span sentences; a past cue of one sentence is no cue of the whole
    return any(
        group.matches(sentence if crisis else reading.undenied(sentence)) and not past(sentence)
        for sentence in reading.sentences
    )


def similar_examples(text: str) -> dict[str, str]:
    """The reviewed `[similar]` examples (with their message) that a sentence of `text` comes close enough to.

    A sentence with a `not_now` cue ("for months", "what are the signs of", "if someone") never counts; the
    physical emergency examples are compared without the signs the sentence denies."""
    return _similar_examples(_Reading(text))


def _similar_examples(reading: _Reading) -> dict[str, str]:
    active = rules()
    found: dict[str, str] = {}
    for sentence in reading.sentences:
        if not sentence or reading.blocked(sentence):
            continue
        for message in dict.fromkeys(message for message, _, _ in active.similar.examples):
            shown = reading.undenied(sentence) if message == "emergency" else sentence
            score, _, example = active.similar.closest(shown, message)
            if score >= active.similar.threshold:
                found[example] = message
    return found


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces: accents and look-alikes folded, typos corrected."""
    if text.isascii():  # nothing to decompose, no combining marks, no look-alikes
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().translate(_LOOKALIKES)
    text = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text))
    return " ".join(correct(word) for word in text.split())


@lru_cache(maxsize=4096)
def correct(word: str) -> str:
    """The word the patterns expect: a listed typo's correction, a one-slip fuzzy match, or the word itself."""
    active = rules()
    if word in active.typos:
        return active.typos[word]
    if len(word) < MIN_FUZZY_WORD or word in active.fuzzy_words or word in active.keep:
        return word
    for target in sorted(active.fuzzy_words):
        if len(target) >= MIN_FUZZY_TARGET and abs(len(target) - len(word)) <= 1 and one_slip(word, target):
            return target
    return word


@cache
def rules() -> Rules:
    """Load and compile `safety_patterns.toml` once; a bad pattern fails loudly at start-up.

    The compiled patterns are kept in `__pycache__` for the next start (`compiled_patterns.py`)."""
    with PATTERNS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    kept = PatternCache(CACHE_FOLDER / "safety_patterns.json")
    scan = NeedleScan()
    macros: dict[str, str] = data["macros"]

    def expand(pattern: str, depth: int = 0) -> str:
        if depth > 5:
            raise ValueError(f"{PATTERNS_FILE}: macros nest too deeply in {pattern!r}")
        expanded = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
        return expanded if expanded == pattern else expand(expanded, depth + 1)

    def compiled(patterns: list[str]) -> PatternList:
        return PatternList(kept.guarded(rf"\b(?:{expand(p)})\b", scan) for p in patterns)

    def groups(key: str) -> tuple[Group, ...]:
        return tuple(Group(name=g["name"], message=g["message"], patterns=compiled(g["patterns"])) for g in data[key])

    sudden = data["sudden_signs"]
    similar = data["similar"]
    same = {word: head for head, words in similar["same"].items() for word in (head, *words)}
    draft = Similar(
        name=similar["name"],
        threshold=float(similar["threshold"]),
        min_shared=int(similar["min_shared"]),
        stop_words=frozenset(similar["stop_words"]),
        same={**same, **{stem(w): h for w, h in same.items()}},
        examples=(),
    )
    typos = {wrong: right for right, wrongs in data["typos"].items() for wrong in wrongs}
    examples = []
    for message, phrasings in similar["examples"].items():
        for example in phrasings:
            words = draft.stems(_plain(example, typos))
            if len(words - {PERSON}) < draft.min_shared:
                raise ValueError(
                    f"{PATTERNS_FILE}: [similar] example {example!r} has under {draft.min_shared} content words "
                    "besides the person"
                )
            examples.append((message, example, words))

    unknown = {g["message"] for g in (*data["emergency"], sudden)} - NOTICE_KINDS.keys()
    unknown |= similar["examples"].keys() - NOTICE_KINDS.keys()
    if unknown:
        raise ValueError(f"{PATTERNS_FILE}: unknown emergency messages {sorted(unknown)}; use {sorted(NOTICE_KINDS)}")
    for key in ("explained", "after_past_signs"):
        if unlisted := set(sudden[key]) - {*sudden["signs"], "acute"}:
            raise ValueError(f"{PATTERNS_FILE}: [sudden_signs] {key} names no sign list: {sorted(unlisted)}")
    loaded = Rules(
        version=data["version"],
        emergency=groups("emergency"),
        sudden=Combination(
            name=sudden["name"],
            message=sudden["message"],
            now=compiled(sudden["now"]),
            not_now=compiled(sudden["not_now"]),
            signs={name: compiled(patterns) for name, patterns in sudden["signs"].items()},
            acute=compiled(sudden["acute"]),
            someone=compiled(sudden["someone"]),
            turns=compiled(sudden["turns"]),
            lasting=compiled(sudden["lasting"]),
            explained=frozenset(sudden["explained"]),
            after_past=compiled(sudden["after_past"]),
            after_past_signs=frozenset(sudden["after_past_signs"]),
        ),
        similar=Similar(**{**draft.__dict__, "examples": tuple(examples)}),
        past_or_if=compiled(data["past_or_if"]["patterns"]),
        years_ago=compiled(data["past_or_if"]["years_ago"]),
        denied=compiled(data["denied"]["patterns"]),
        advice=groups("advice"),
        typos=typos,
        fuzzy_words=frozenset(data["fuzzy"]["words"]),
        keep=frozenset(data["fuzzy"]["keep"]),
        scan=scan,
    )
    scan.freeze(kept)
    kept.save()
    return loaded


def _plain(text: str, typos: dict[str, str]) -> str:
    """`normalise` without the fuzzy step (used while the rules themselves are loading)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().translate(_LOOKALIKES)
    text = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text))
    return " ".join(typos.get(word, word) for word in text.split())
