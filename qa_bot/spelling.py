"""Typos in a question read as the corpus's own words: "cerebellar atropy symptons" is searched as
"cerebellar atrophy symptoms".

A word is corrected only when it is no known word: the documents never use it (its stem is not in
the BM25 vocabulary) and the model's tokenizer does not have it as a whole word (`model_words`, some
20,000 English words: "illness" or "handwriting" are left alone even on a corpus that never says
them). It must have at least `MIN_WORD` letters, and one slip (a letter missing, extra or wrong, or two letters
swapped) turns it into a word whose stem the documents do use; among several, the stem in the most
passages wins (ties: alphabetical, so the result is deterministic). The embedding and BM25 both
read the corrected text; quotes are document slices as always. Words the documents use are never
touched, so a question without typos is searched exactly as before.
"""

from __future__ import annotations

import re
import string
from functools import cache

from .errors import ModelError
from .lexical import STOP_WORDS, LexicalIndex, stem
from .model_files import locate_model

# Short words have too many one-slip neighbours ("gout" and "goat"): left as typed.
MIN_WORD = 5
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = string.ascii_lowercase


@cache
def model_words(model: str) -> frozenset[str]:
    """The whole words of `model`'s tokenizer vocabulary (`vocab.txt`; empty when it has none)."""
    try:
        path = locate_model(model).folder / "vocab.txt"
        lines = path.read_text(encoding="utf-8").split() if path.is_file() else []
    except ModelError:
        lines = []
    return frozenset(word for word in lines if word.isalpha() and word.isascii() and word.islower())


def one_slip_words(word: str) -> set[str]:
    """Every word one missing, extra or wrong letter, or two swapped letters, away from `word`."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def corrected_word(word: str, lexical: LexicalIndex, known: frozenset[str]) -> str:
    """`word` (lower case), or the word one slip away that the documents use most (module docstring)."""
    if len(word) < MIN_WORD or word in STOP_WORDS or word in known or lexical.passages_with(stem(word)):
        return word
    stems = ((stem(w), w) for w in one_slip_words(word) if w not in STOP_WORDS)
    scored = [(lexical.passages_with(term), w) for term, w in stems if term in lexical]  # most are in none
    best = min(((-count, w) for count, w in scored if count), default=None)
    return word if best is None else best[1]


def corrected(text: str, lexical: LexicalIndex, known: frozenset[str]) -> str:
    """`text` with each typo replaced by the documents' word (`corrected_word`; `known`: words never
    corrected, `model_words`); the rest unchanged."""
    if not lexical.size:
        return text

    def fix(match: re.Match[str]) -> str:
        typed = match.group(0)
        word = corrected_word(typed.lower(), lexical, known) if typed.isascii() else typed.lower()
        return typed if word == typed.lower() else word

    return _WORD.sub(fix, text)
