"""The compiled pieces of `safety_patterns.toml`: pattern groups, sign-and-now combinations, and
reviewed example phrasings with their word-stem similarity (`safety.rules` builds them); and the two
word helpers they read words with (`stem`, and `one_slip` for typos)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .required_literals import PatternList


@dataclass(frozen=True)
class Group:
    """One reviewed group of patterns: its name, the texts.toml key it shows, and its regexes."""

    name: str
    message: str
    patterns: PatternList

    def matches(self, normalised: str) -> bool:
        """Whether any pattern matches the normalised text."""
        return self.patterns.matches(normalised)


@dataclass(frozen=True)
class Combination:
    """`[sudden_signs]`: a now cue and a sign in one sentence, and no chronic, past or general cue there;
    where the only such cue is a lasting condition's (`lasting`: "my dad with parkinsons"), the signs that
    condition does not explain (not in `explained`: a twisted hip, heavy bleeding); after a past event told
    first ("last week, and now ..."), the signs of `after_past_signs` in what is happening now."""

    name: str
    message: str
    now: PatternList
    not_now: PatternList
    signs: dict[str, PatternList]
    acute: PatternList = PatternList()
    someone: PatternList = PatternList()
    turns: PatternList = PatternList()
    lasting: PatternList = PatternList()
    explained: frozenset[str] = frozenset()
    after_past: PatternList = PatternList()
    after_past_signs: frozenset[str] = frozenset()

    def clauses(self, sentence: str) -> tuple[str, ...]:
        """A normalised sentence, and its tail from each turn to a new state ("... for years, but today he ...")."""
        turns = self.turns.candidates(sentence)
        tails = (sentence[m.end():].strip() for p in turns for m in p.regex.finditer(sentence))
        return (sentence, *dict.fromkeys(tail for tail in tails if tail))

    def now_after_past(self, sentence: str) -> tuple[str, ...]:
        """A normalised sentence's tails from each turn to now after a past event (`after_past`)."""
        turns = self.after_past.candidates(sentence)
        return tuple(dict.fromkeys(sentence[m.end():] for p in turns for m in p.regex.finditer(sentence)))

    def blocked(self, sentence: str) -> bool:
        """Whether a normalised sentence has a chronic, past, general or hypothetical cue (a lasting
        condition's among them)."""
        return self.not_now.matches(sentence) or self.lasting_cue(sentence)

    def lasting_cue(self, sentence: str) -> bool:
        """Whether a normalised sentence names a lasting condition of the person (`lasting`)."""
        return self.lasting.matches(sentence)

    def lasting_only(self, sentence: str) -> bool:
        """Whether a lasting condition is the sentence's only cue against it happening now."""
        return self.lasting_cue(sentence) and not self.not_now.matches(sentence)

    def signs_now(self, sentence: str, lasting: bool = False) -> tuple[str, ...]:
        """The sign groups a normalised sentence without a chronic cue (not `blocked`) shows, if it also has
        a now cue; with `lasting` (the sentence is `lasting_only`), only those not `explained` by it.

        A sign from the `acute` list needs no now cue, only a particular person (`someone`)."""
        if lasting:
            return tuple(sign for sign in self.signs_now(sentence) if sign not in self.explained)
        acute = ("acute",) if self.acute.matches(sentence) else ()
        if acute and not self.someone.matches(sentence):
            acute = ()
        if not self.now.matches(sentence):
            return acute
        signs = tuple(name for name, patterns in self.signs.items() if patterns.matches(sentence))
        return signs + acute if signs or acute else ()


@dataclass(frozen=True)
class Similar:
    """`[similar]`: reviewed example emergency phrasings, and how close a sentence must come to one."""

    name: str
    threshold: float
    min_shared: int
    stop_words: frozenset[str]
    same: dict[str, str]
    examples: tuple[tuple[str, str, frozenset[str]], ...]  # (texts.toml message, example, its stems)

    def stems(self, normalised: str) -> frozenset[str]:
        """The content word stems of a normalised text: stop words dropped, listed synonyms merged."""
        found = set()
        words = normalised.split()
        for before, word, after in zip(["", *words], words, [*words[1:], ""], strict=False):
            if word in self.stop_words:
                continue
            head = self.same.get(word) or self.same.get(stem(word), stem(word))
            if head == "not" and (before == "did" or after in WANT):
                head = HABIT  # "did not", and a wish denied ("i dont want to talk"), are no state now
            found.add(head)
        return frozenset(found)

    def denies_only_what_is_not_now(self, normalised: str) -> bool:
        """Whether the text's only negations deny a past, a habit or a wish (`HABIT`: "he never answers his phone",
        "i dont want to talk"), none a state now ("he is not responding")."""
        return self.stems(normalised) & NEGATIONS == {HABIT}

    def closest(self, normalised: str, message: str | None = None) -> tuple[float, str, str]:
        """The best score of a normalised sentence against the examples (those showing `message`, if given),
        with that example's message and text."""
        words = self.stems(normalised)
        best = (0.0, "", "")
        for shown, text, example in self.examples:
            if message is not None and shown != message:
                continue
            if ("not" in words) != ("not" in example) or (HABIT in example) > bool(words & NEGATIONS):
                continue  # a negation must agree: "i dont want to die" is not "i want to die"
            if HABIT in words and not words & NEGATIONS & example:
                continue  # a habit denied ("he never answers my texts") is no state ("he is not responding")
            shared = words & example
            # the person ("someone") is in nearly every example: only the words of the sign count towards min_shared
            score = len(shared) / len(example) if len(shared - {PERSON}) >= self.min_shared else 0.0
            if score > best[0]:
                best = (score, shown, text)
        return best


# The head word every person ("i", "my dad", "she") is merged into by `[similar.same]`.
PERSON = "someone"
# The head word of a past, a habit or a wish denied ("he didnt speak until he was 3", "she never answers",
# "i dont want to talk"), which is no state now ("he is not responding").
HABIT = "didnt"
WANT = frozenset({"want", "wants", "wanted", "wanna"})
NEGATIONS = frozenset({"not", HABIT})
_SUFFIXES = ("ingly", "edly", "ing", "ed", "ies", "es", "s", "ly", "y", "e")


@lru_cache(maxsize=8192)
def stem(word: str) -> str:
    """A light, deterministic stem: one common ending dropped, a doubled last consonant made single.

    "drooping", "droopy", "drooped" -> "droop"; "breathing", "breathe" -> "breath"; "bleeding" -> "bleed"."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "ed" and word[-3] == "e":
                continue
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def one_slip(a: str, b: str) -> bool:
    """True when `a` and `b` differ by at most one missing, extra or wrong letter, or two swapped letters."""
    if a == b:
        return True
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        i = diffs[0]
        return len(diffs) == 2 and diffs[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return False
    i = next((k for k in range(len(short)) if short[k] != long[k]), len(short))
    return short[i:] == long[i + 1 :]
