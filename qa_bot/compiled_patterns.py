"""Regular expressions compiled once per Python version and kept, as Python keeps `.pyc` files.

Compiling the ~200 reviewed safety patterns (`safety_patterns.toml`, with their macros expanded:
about 85,000 characters) took 0.09 s of every start, most of a cold `qa-bot ask` beyond loading the
model. `re.compile` parses a pattern into the regular expression engine's code (a list of integers)
and hands it to `_sre.compile`; this module keeps that code in `__pycache__/` beside the package,
keyed by the pattern text and the engine's version, and hands it straight to `_sre.compile` on the
next start. The resulting pattern equals what `re.compile` gives (`Pattern.__eq__` compares the
code); a pattern not in the file, a file of another Python version or an unreadable file means the
ordinary compilation (and a fresh file, when the folder is writable). The file has the trust of the
`.pyc` files beside it: whoever can write it can rewrite the code itself. Each entry also keeps the
pattern's needles (`required_literals.needles`, read from the same parse), for `PatternCache.guarded`;
the file is of the `required_literals.py` that found them (its digest is part of `ENGINE`).
"""

from __future__ import annotations

import _sre  # the engine behind `re`: `re._compiler.compile` ends in `_sre.compile`
import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable
from pathlib import Path

from . import durable, required_literals
from .required_literals import Guarded, NeedleScan

logger = logging.getLogger(__name__)

CACHE_FOLDER = Path(__file__).with_name("__pycache__")
# Whatever changes the engine's code changes one of these (`_sre.MAGIC` moves with the code format),
# and whatever changes how needles are found changes the digest of `required_literals.py`.
_NEEDLES = hashlib.sha256(Path(required_literals.__file__).read_bytes()).hexdigest()[:16]
ENGINE = f"{sys.implementation.cache_tag}-{sys.version}-sre{_sre.MAGIC}-{_sre.CODESIZE}-needles{_NEEDLES}"


class PatternCache:
    """Compiles patterns (no flags) from the code kept in `path` when it is there; `save` keeps new ones."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._kept: dict[str, list] = {}
        self._used: dict[str, list] = {}
        self._kept_derived: dict[str, str] = {}
        self._used_derived: dict[str, str] = {}
        try:
            data = json.loads(path.read_bytes())
            if data.get("engine") == ENGINE:
                self._kept = data["patterns"]
                self._kept_derived = data.get("derived", {})
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError, AttributeError) as err:
            logger.warning("compiled patterns %s are unreadable (%s); compiling afresh", path, err)

    def compile(self, pattern: str) -> re.Pattern[str]:
        """`re.compile(pattern)`, from the kept code when there is some."""
        return self._load(pattern)[0]

    def guarded(self, pattern: str, scan: NeedleScan | None = None) -> Guarded:
        """`re.compile(pattern)` with its needles (`required_literals.needles`), both kept as `compile` keeps code;
        the needles are added to `scan`, which the pattern then uses (`Guarded.possible`)."""
        compiled, entry = self._load(pattern)
        needles = tuple(entry[5])
        if scan is not None:
            scan.add(needles)
        return Guarded(compiled, needles, scan)

    def derived(self, key: str, make: Callable[[], str]) -> str:
        """A pattern text worked out from the others (`make()`, e.g. `NeedleScan`'s trie), kept under `key`."""
        text = self._kept_derived.get(key)
        if not isinstance(text, str):
            text = make()
        self._used_derived[key] = text
        return text

    def _load(self, pattern: str) -> tuple[re.Pattern[str], list]:
        entry = self._kept.get(pattern)
        if entry is not None:
            try:
                compiled = _from_entry(pattern, entry)
                if not isinstance(entry[5], list) or not all(isinstance(n, str) and n for n in entry[5]):
                    raise TypeError("needles are not a list of strings")
                self._used[pattern] = entry
                return compiled, entry
            except (TypeError, ValueError, RuntimeError, IndexError):  # `_sre` refuses code it cannot run
                logger.warning("compiled pattern in %s refused; compiling it afresh", self.path)
        entry = _entry(pattern)
        self._used[pattern] = entry
        return _from_entry(pattern, entry), entry

    def save(self) -> None:
        """Keep the code of the patterns compiled since loading, when it differs from the file's."""
        if self._used == self._kept and self._used_derived == self._kept_derived:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            kept = {"engine": ENGINE, "patterns": self._used, "derived": self._used_derived}
            durable.write_atomic(self.path, json.dumps(kept).encode())
        except OSError as err:  # a read-only install compiles at each start, as before
            logger.info("compiled patterns not kept in %s (%s)", self.path, err)


def _entry(pattern: str) -> list:
    """What `re._compiler.compile` hands to `_sre.compile` for `pattern` (no flags), and its needles."""
    parsed = re._parser.parse(pattern, 0)
    code = re._compiler._code(parsed, 0)
    groupindex = parsed.state.groupdict
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, number in groupindex.items():
        indexgroup[number] = name
    needles = list(required_literals.needles(parsed))
    return [parsed.state.flags, code, parsed.state.groups - 1, groupindex, indexgroup, needles]


def _from_entry(pattern: str, entry: list) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = entry[:5]
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))
