"""A quick literal check before a regular expression: strings one of which every match contains.

Most safety patterns (`safety_patterns.toml`) name a word a text must hold ("swallowed", "bleeding")
after a long alternation that is tried at every position ("{person}": "i", "my dad", ...), so
searching a 1,000-character message for each of ~200 patterns took most of its safety check.
`needles` reads a parsed pattern (`re._parser`) for a set of strings such that any match of the
pattern contains one of them; `Guarded.search` returns None at once when the text holds none of
them, which is what the search would return. Only reasoning that holds for every match is used: a
literal, the literals of a group or of every branch of an alternation, a repeat at least once; a
part it cannot read (a class such as `\\w`, case-insensitive flags) adds nothing, and a pattern
with no such strings is always searched.

A text is checked against many patterns (~1,100 for a 1,000-character message), so the patterns share
a `NeedleScan`: one pass of one regular expression, a trie of all their needles, finds which needles a
text holds, and each pattern then looks its own needles up in that set instead of searching the text
for each of them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import product
from re import _constants as sre  # the parser's opcodes: LITERAL, BRANCH, SUBPATTERN, ...
from typing import Protocol

# The most strings an exact set (every string a part of the pattern can match) is kept with.
MAX_EXACT = 64


class KeptPatterns(Protocol):
    """Where compiled patterns are kept between starts (`compiled_patterns.PatternCache`)."""

    def compile(self, pattern: str) -> re.Pattern[str]: ...

    def derived(self, key: str, make: Callable[[], str]) -> str: ...


# The texts whose needles a thread keeps (a message's sentences and their variants are each read by many patterns).
MEMO_TEXTS = 64


class NeedleScan:
    """Which of many needles a text holds, found in one pass: `add` every pattern's needles, then `freeze`.

    The needles become one regular expression shaped as their trie, tried at every position of the text
    inside a lookahead (so needles that overlap are all seen); at each position it matches the longest
    needle starting there, and every needle that starts there is a prefix of that one (`_prefixes`)."""

    def __init__(self) -> None:
        self._needles: set[str] = set()
        self._frozen = False
        self._regex: re.Pattern[str] | None = None
        self._starts: dict[str, frozenset[str]] = {}  # filled as needles are met (dict writes are atomic)
        self._memo = threading.local()

    def add(self, needles: Iterable[str]) -> None:
        """Needles to look for (before `freeze`)."""
        self._needles.update(needles)

    def freeze(self, cache: KeptPatterns | None = None) -> None:
        """Build the one expression, through `cache` when given (it keeps the expression and its code, as
        `compiled_patterns.py` keeps the patterns'); `present` works from now on."""
        self._frozen = True
        if not self._needles:
            return
        needles = sorted(self._needles)
        if cache is None:
            self._regex = re.compile(_scan_pattern(needles))
            return
        key = hashlib.sha256("\n".join(needles).encode()).hexdigest()
        self._regex = cache.compile(cache.derived(f"needle scan {key}", lambda: _scan_pattern(needles)))

    def forget(self) -> None:
        """Drop this thread's memo of the texts read (`present`)."""
        self._memo.texts = {}

    def _prefixes(self, longest: str) -> frozenset[str]:
        """The needles that `longest` (a needle) starts with, itself included."""
        found = self._starts.get(longest)
        if found is None:
            found = self._starts[longest] = frozenset(
                longest[:i] for i in range(1, len(longest) + 1) if longest[:i] in self._needles)
        return found

    def present(self, text: str) -> frozenset[str] | None:
        """The needles `text` holds; None before `freeze`."""
        if self._regex is None:
            return frozenset() if self._frozen else None
        memo: dict[str, frozenset[str]] = getattr(self._memo, "texts", None) or {}
        found = memo.get(text)
        if found is None:
            found = frozenset().union(*(self._prefixes(m.group(1)) for m in self._regex.finditer(text)))
            if len(memo) >= MEMO_TEXTS:
                memo = {}
            memo[text] = found
            self._memo.texts = memo
        return found


def _scan_pattern(needles: list[str]) -> str:
    """A lookahead capturing, at any position, the longest of `needles` starting there."""
    return f"(?=({_trie_pattern(needles)}))"


def _trie_pattern(needles: list[str]) -> str:
    """A regular expression matching exactly the given strings, shaped as their trie (longest first)."""
    root: dict = {}
    for needle in needles:
        node = root
        for char in needle:
            node = node.setdefault(char, {})
        node[""] = {}

    def branch(node: dict) -> str:
        parts = [re.escape(char) + branch(child) for char, child in sorted(node.items()) if char]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 else f"(?:{'|'.join(parts)})"
        return f"(?:{body})?" if "" in node else body

    return branch(root)


@dataclass(frozen=True)
class Guarded:
    """A compiled pattern and its needles (`needles`): searched only when the text holds one of them,
    as its `scan` (shared by many patterns) or, without one, a search for each needle tells."""

    regex: re.Pattern[str]
    needles: tuple[str, ...] = ()
    scan: NeedleScan | None = field(default=None, compare=False, repr=False)

    @property
    def pattern(self) -> str:
        """The pattern's text."""
        return self.regex.pattern

    def possible(self, text: str) -> bool:
        """False only when no match can exist in `text` (it holds none of the needles)."""
        if not self.needles:
            return True
        present = self.scan.present(text) if self.scan is not None else None
        if present is None:
            return any(map(text.__contains__, self.needles))
        return not present.isdisjoint(self.needles)

    def search(self, text: str) -> re.Match[str] | None:
        """`regex.search(text)`."""
        return self.regex.search(text) if self.possible(text) else None

    def sub(self, replacement: str, text: str) -> str:
        """`regex.sub(replacement, text)`."""
        return self.regex.sub(replacement, text) if self.possible(text) else text

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """`regex.finditer(text)`."""
        return self.regex.finditer(text) if self.possible(text) else iter(())


class PatternList(tuple):
    """Patterns (`Guarded`) read together. When they share one `NeedleScan`, the ones a text may match
    are found from its needles with one set intersection, instead of a check of each pattern (a
    1,000-character message meets ~1,500 such checks)."""

    def __new__(cls, patterns: Iterable[Guarded] = ()) -> PatternList:
        self = super().__new__(cls, patterns)
        scans = {id(p.scan) for p in self}
        self._scan = self[0].scan if len(scans) == 1 else None
        self._by_needle: dict[str, tuple[int, ...]] = {}
        for i, pattern in enumerate(self):
            for needle in pattern.needles:
                self._by_needle[needle] = (*self._by_needle.get(needle, ()), i)
        self._needles = frozenset(self._by_needle)
        self._always = tuple(i for i, pattern in enumerate(self) if not pattern.needles)  # in order
        return self

    def candidates(self, text: str) -> Iterator[Guarded]:
        """The patterns that may match `text`, in their order (no other can)."""
        present = self._scan.present(text) if self._scan is not None else None
        if present is None:
            return (p for p in self if p.possible(text))
        held = present & self._needles
        if not held:
            return (self[i] for i in self._always)
        return (self[i] for i in sorted(set(self._always).union(*(self._by_needle[n] for n in held))))

    def matches(self, text: str) -> bool:
        """Whether any of the patterns matches `text`."""
        return any(p.regex.search(text) for p in self.candidates(text))


def needles(parsed: object) -> tuple[str, ...]:
    """Strings one of which every match of the parsed pattern (`re._parser.parse(pattern, 0)`)
    contains, sorted; empty when none are known."""
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE) or not parsed.data:
        return ()
    found = _required(parsed.data)
    return tuple(sorted(found)) if found else ()


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two needle sets: longer shortest string (up to 4), then fewer strings."""
    candidates = [s for s in (a, b) if s and "" not in s]
    return max(candidates, key=lambda s: (min(4, min(map(len, s))), -len(s)), default=None)


def _required(items: list) -> set[str] | None:
    """Needles of a sequence of parsed items: its best run of exact items (their strings joined), or
    the best needles of one item."""
    best: set[str] | None = None
    run: set[str] | None = {""}
    for op, av in items:
        exact = _exact(op, av)
        if exact is None:
            best = _better(best, run)
            run = {""}
            best = _better(best, _needles_of(op, av))
            continue
        joined = {a + b for a, b in product(run, exact)} if len(run) * len(exact) <= MAX_EXACT else None
        if joined is None:
            best = _better(best, run)
            best = _better(best, exact)
            run = exact
        else:
            run = joined
    return _better(best, run)


def _needles_of(op: object, av: object) -> set[str] | None:
    """Needles of one item that is not exact."""
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = av
        return None if add_flags or del_flags else _required(inner.data)
    if op is sre.ATOMIC_GROUP:
        return _required(av.data)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, inner = av
        return _required(inner.data) if low >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _required(branch.data)
            if not found or "" in found:
                return None
            union |= found
        return union
    return None


def _exact(op: object, av: object) -> set[str] | None:
    """Every string one item can match, when they are few; a zero-width item matches ""."""
    if op is sre.LITERAL:
        return {chr(av)}
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return {""}
    if op is sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                chars.add(chr(value))
            elif kind is sre.RANGE and value[1] - value[0] < MAX_EXACT:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:
                return None
        return chars if len(chars) <= MAX_EXACT else None
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = av
        return None if add_flags or del_flags else _exact_sequence(inner.data)
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            found = _exact_sequence(branch.data)
            if found is None or len(union | found) > MAX_EXACT:
                return None
            union |= found
        return union
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, inner = av
        once = _exact_sequence(inner.data)
        if once is None or high > 2:
            return None
        every = {""} if low == 0 else set()
        for count in range(max(low, 1), high + 1):
            every |= {"".join(parts) for parts in product(once, repeat=count)}
            if len(every) > MAX_EXACT:
                return None
        return every
    return None


def _exact_sequence(items: list) -> set[str] | None:
    joined: set[str] = {""}
    for op, av in items:
        exact = _exact(op, av)
        if exact is None or len(joined) * len(exact) > MAX_EXACT:
            return None
        joined = {a + b for a, b in product(joined, exact)}
    return joined
