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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from re import _constants as sre  # the parser's opcodes: LITERAL, BRANCH, SUBPATTERN, ...

# The most strings an exact set (every string a part of the pattern can match) is kept with.
MAX_EXACT = 64


@dataclass(frozen=True)
class Guarded:
    """A compiled pattern and its needles (`needles`): searched only when the text holds one of them."""

    regex: re.Pattern[str]
    needles: tuple[str, ...] = ()

    @property
    def pattern(self) -> str:
        """The pattern's text."""
        return self.regex.pattern

    def possible(self, text: str) -> bool:
        """False only when no match can exist in `text` (it holds none of the needles)."""
        return not self.needles or any(map(text.__contains__, self.needles))

    def search(self, text: str) -> re.Match[str] | None:
        """`regex.search(text)`."""
        return self.regex.search(text) if self.possible(text) else None

    def sub(self, replacement: str, text: str) -> str:
        """`regex.sub(replacement, text)`."""
        return self.regex.sub(replacement, text) if self.possible(text) else text

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """`regex.finditer(text)`."""
        return self.regex.finditer(text) if self.possible(text) else iter(())


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
