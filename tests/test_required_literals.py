"""The literal check before a pattern (qa_bot/required_literals.py): it never skips a text the pattern matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qa_bot import safety
from qa_bot.required_literals import Guarded, NeedleScan, PatternList, needles

from .test_safety import MUST_ESCALATE, MUST_NOT_ESCALATE, OWN_WORDS_CALM, OWN_WORDS_ESCALATE


def guarded(pattern: str) -> Guarded:
    return Guarded(re.compile(pattern), needles(re._parser.parse(pattern, 0)))


@pytest.mark.parametrize(
    ("pattern", "found"),
    [
        (r"\b(?:took|taken) pills\b", ("taken pills", "took pills")),
        (r"took|taken", ("taken", "took")),
        (r"(?:my|his) (?:\w+ )?arm", ("arm",)),
        (r"ab?c", ("abc", "ac")),
        (r"(?:\w+ ){0,3}", ()),  # nothing any match must hold
        (r"(?i)stroke", ()),  # case-insensitive: not read
        (r"(?<!dont )want to die", ("want to die",)),
    ],
)
def test_needles_are_strings_every_match_holds(pattern: str, found: tuple[str, ...]) -> None:
    assert needles(re._parser.parse(pattern, 0)) == found


def _every_pattern() -> list[Guarded]:
    active = safety.rules()
    return [*active.past_or_if, *active.denied, *active.sudden.now, *active.sudden.not_now, *active.sudden.acute,
            *active.sudden.someone, *active.sudden.turns, *(p for ps in active.sudden.signs.values() for p in ps),
            *(p for g in (*active.emergency, *active.advice) for p in g.patterns)]


def _every_list() -> list[PatternList]:
    active = safety.rules()
    sudden = active.sudden
    return [active.past_or_if, active.denied, sudden.now, sudden.not_now, sudden.acute, sudden.someone, sudden.turns,
            sudden.lasting, sudden.after_past, *sudden.signs.values(),
            *(g.patterns for g in (*active.emergency, *active.advice))]


def test_most_safety_patterns_have_needles_and_none_skips_a_listed_phrasing() -> None:
    patterns = _every_pattern()
    assert sum(bool(p.needles) for p in patterns) > len(patterns) // 2
    lists = (*MUST_ESCALATE, *MUST_NOT_ESCALATE, *OWN_WORDS_ESCALATE, *OWN_WORDS_CALM)
    listed = [t if isinstance(t, str) else t[0] for t in lists]
    for text in listed:
        normalised = safety.normalise(text)
        for p in patterns:
            assert (p.search(normalised) is None) == (p.regex.search(normalised) is None), (text, p.pattern[:60])


@given(st.lists(st.sampled_from(["my", "dad", "took", "too", "many", "pills", "cant", "breathe", "is", "not",
                                 "breathing", "suddenly", "face", "drooping", "for", "years", "kill", "myself"]),
                max_size=12))
def test_a_guarded_pattern_finds_what_the_pattern_finds(words: list[str]) -> None:
    text = " ".join(words)
    for p in _every_pattern():
        assert (p.search(text) is None) == (p.regex.search(text) is None)
        assert p.sub(" ", text) == p.regex.sub(" ", text)
    for patterns in _every_list():
        matching = [p for p in patterns if p.regex.search(text)]
        candidates = list(patterns.candidates(text))
        assert [p for p in candidates if p in matching] == matching  # none left out, in their order
        assert patterns.matches(text) == bool(matching)


@given(st.lists(st.text("ab .*", min_size=1, max_size=4), min_size=1, max_size=12), st.text("ab .*", max_size=30))
def test_a_needle_scan_finds_every_needle_a_text_holds(found: list[str], text: str) -> None:
    # a small alphabet: needles that overlap, repeat and are prefixes of one another; "." and "*" are escaped
    scan = NeedleScan()
    scan.add(found)
    assert scan.present(text) is None  # not frozen yet: patterns search for each needle
    scan.freeze()
    assert scan.present(text) == {n for n in found if n in text}
    assert scan.present(text) == {n for n in found if n in text}  # from the thread's memo


def test_a_pattern_sharing_a_scan_is_searched_only_when_the_text_holds_a_needle() -> None:
    scan = NeedleScan()
    pattern = r"\b(?:took|taken) (?:\w+ )?pills\b"
    shared = Guarded(re.compile(pattern), needles(re._parser.parse(pattern, 0)), scan)
    scan.add(shared.needles)
    scan.add(["unrelated"])
    assert shared.possible("he took pills") and shared.search("he took pills")  # before freeze: each needle
    scan.freeze()
    assert shared.search("he took ten pills") and shared.search("she had taken pills")
    assert not shared.possible("she had no tablets") and shared.search("unrelated pill") is None


def test_a_pattern_list_tries_only_the_patterns_whose_needles_a_text_holds() -> None:
    scan = NeedleScan()
    texts = [r"\b(?:took|taken) pills\b", r"\bcant breathe\b", r"(?:\w+ )?pills", r"\bblue lips\b", r"\d"]
    took, breathe, pills, lips, digit = made = [
        Guarded(re.compile(t), needles(re._parser.parse(t, 0)), scan) for t in texts]
    for pattern in made:
        scan.add(pattern.needles)
    patterns = PatternList(made)
    assert list(patterns.candidates("he took pills")) == [took, pills, digit]  # before freeze: each one's own check
    scan.freeze()
    assert list(patterns.candidates("he took pills and cant breathe")) == [took, breathe, pills, digit]
    assert list(patterns.candidates("blue lips")) == [lips, digit]  # a pattern without needles: always tried
    assert patterns.matches("blue lips now") and not patterns.matches("nothing here")
    assert not PatternList().matches("anything") and list(PatternList().candidates("anything")) == []
