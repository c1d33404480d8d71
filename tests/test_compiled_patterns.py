"""Patterns compiled from kept engine code equal `re.compile`'s; a stale or broken file is compiled afresh."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from qa_bot import compiled_patterns, safety
from qa_bot.compiled_patterns import PatternCache

PATTERNS = [r"\b(?:chest (?:pain|tightness)|can(?:no|')t breathe)\b", r"(?P<when>\d+) (?:minutes?|hours?) ago",
            r"[^\W\d_]{3,}(?<!ing)\b", "plain words"]


def test_kept_code_gives_the_same_patterns_and_decisions(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    first = PatternCache(path)
    fresh = [first.compile(p) for p in PATTERNS]
    first.save()
    again = PatternCache(path)
    kept = [again.compile(p) for p in PATTERNS]
    assert kept == fresh == [re.compile(p) for p in PATTERNS]  # Pattern equality compares the engine code
    text = "I cant breathe since 10 minutes ago, chest tightness, walking"
    assert [[m.span() for m in p.finditer(text)] for p in kept] == [[m.span() for m in re.finditer(p, text)]
                                                                  for p in PATTERNS]
    assert kept[1].groupindex == {"when": 1}


def test_a_file_of_another_engine_or_a_broken_one_is_compiled_afresh(tmp_path: Path) -> None:
    path = tmp_path / "kept.json"
    code = PatternCache(path)
    code.compile(PATTERNS[0])
    code.save()
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "engine": "another-python"}))
    assert PatternCache(path).compile(PATTERNS[0]) == re.compile(PATTERNS[0])
    path.write_text(json.dumps({**data, "patterns": {PATTERNS[0]: [32, [1, 2, 3], 0, {}, []]}}))  # code `_sre` refuses
    assert PatternCache(path).compile(PATTERNS[0]) == re.compile(PATTERNS[0])
    path.write_text("{not json")
    assert PatternCache(path).compile(PATTERNS[0]) == re.compile(PATTERNS[0])


def test_an_unwritable_folder_only_means_compiling_at_each_start(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    code = PatternCache(tmp_path / "file" / "kept.json")  # its folder is a file: nothing can be written
    assert code.compile(PATTERNS[0]) == re.compile(PATTERNS[0])
    code.save()


def test_the_safety_rules_from_kept_code_equal_a_fresh_compilation(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.setattr(safety, "CACHE_FOLDER", tmp_path)
    safety.rules.cache_clear()
    try:
        fresh = safety.rules()
        assert (tmp_path / "safety_patterns.json").is_file()
        safety.rules.cache_clear()
        kept = safety.rules()
    finally:
        safety.rules.cache_clear()
    assert kept == fresh
    text = safety.normalise("my dad suddenly cant breathe and his face is drooping, he took too many pills")
    assert kept.scan.present(text) == fresh.scan.present(text) != frozenset()
    every = [*kept.past_or_if, *kept.denied, *kept.sudden.now, *kept.sudden.not_now, *kept.sudden.acute,
             *kept.sudden.someone, *(p for ps in kept.sudden.signs.values() for p in ps),
             *(p for g in (*kept.emergency, *kept.advice) for p in g.patterns)]
    assert len(every) > 100 and all(p.regex == re.compile(p.pattern) for p in every)
    assert compiled_patterns.ENGINE in (tmp_path / "safety_patterns.json").read_text()
