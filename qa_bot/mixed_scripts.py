"""Mixed-script words: a Cyrillic "о" inside "strоke" looks right but matches nothing.

A word may use one script, or Latin together with one other script that cannot be mistaken for it
(Japanese, Chinese and Korean combinations included), as in Unicode's "moderately restrictive"
profile (UTS #39, section 5.2). Latin mixed with Cyrillic or Greek inside one word is refused.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W\d_]+")
# Letters used as units or symbols in ordinary health text ("5 µg"): they belong to no script here.
_COMMON_LETTERS = frozenset("\u03bc\u00b5")
_CJK_SETS = (
    frozenset({"LATIN", "HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"LATIN", "HAN", "BOPOMOFO"}),
    frozenset({"LATIN", "HAN", "HANGUL"}),
)
_CONFUSABLE_WITH_LATIN = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})


def script(ch: str) -> str | None:
    """The script of a letter as the first word of its Unicode name (`HAN` for ideographs), or None."""
    if ch in _COMMON_LETTERS or not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    if not name or name.startswith("MODIFIER LETTER"):
        return None
    first = name.split(" ")[0]
    return "HAN" if first == "CJK" else first


def mixes_scripts(word: str) -> bool:
    """True when one word mixes scripts in a way that could hide a look-alike letter."""
    scripts = {s for ch in unicodedata.normalize("NFKC", word) if (s := script(ch))}
    if len(scripts) <= 1 or any(scripts <= allowed for allowed in _CJK_SETS):
        return False
    return not (len(scripts) == 2 and "LATIN" in scripts and not scripts & _CONFUSABLE_WITH_LATIN)


def mixed_script_words(text: str) -> list[str]:
    """The words of `text` that mix scripts, in order (empty when the text is fine)."""
    if text.isascii():  # Latin letters only: no word can mix scripts
        return []
    return [w for w in _WORD.findall(text) if mixes_scripts(w)]
