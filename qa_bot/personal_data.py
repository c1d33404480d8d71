"""Masking what identifies a person in text that patients type, before any of it is stored.

Replaced by a label: e-mail addresses, also written out ("mary dot jones at gmail dot com",
"mary [at] example [dot] org") -> `[email]`; links -> `[link]`; IP addresses -> `[ip]`; phone
numbers -> `[phone]`; runs of 5 or more digits -> `[number]`; street addresses ("3 Oak Lane",
"12 Baker Street, Apt 4") -> `[address]`; the name after "my name is", "I am called", "I'm called"
or "this is" (a capitalised name) -> `[name]`. Everything else is kept as typed.
"""

from __future__ import annotations

import re

_DOT = r"(?:\s*[\[(<{]\s*dot\s*[\])>}]\s*|\s+dot\s+|\.)"
_AT = r"(?:\s*[\[(<{]\s*at\s*[\])>}]\s*|\s+at\s+)"
_WRITTEN_OUT_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[a-z0-9-]+(?:{_DOT}[a-z0-9-]+)*{_DOT}[a-z]{{2,12}}(?![\w.])",
    re.IGNORECASE,
)
_MASKS = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[email]"),
    (re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE), "[link]"),
    (_WRITTEN_OUT_EMAIL, "[email]"),
    (re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.])"), "[ip]"),
)
# A house number, up to three words, a street word, then optionally a flat: "12 Baker Street, Apt 4".
_STREET_WORDS = (
    "street|st|lane|ln|road|rd|avenue|ave|drive|boulevard|blvd|crescent|terrace|parkway|highway|"
    "gardens|mews|strasse|straße"
)
_ADDRESS = re.compile(
    rf"(?<![\w.])\d{{1,5}}[a-z]?,?\s+(?:[a-zà-ÿ'.-]+\s+){{0,3}}(?:{_STREET_WORDS})\b\.?"
    r"(?:,?\s*(?:apt|apartment|flat|suite|unit|#)\.?\s*[\w-]{1,6}\b)?",
    re.IGNORECASE,
)
# Capitalised street words that are ordinary words in lower case ("2 weeks in a row"): "4 Elm Close".
_ADDRESS_CAPITALISED = re.compile(
    r"(?<![\w.])\d{1,5}[a-z]?,?\s+(?:[A-ZÀ-Þ][a-zà-ÿ'.-]*\s+){1,3}(?:Court|Close|Place|Square|Way|Row|Walk|Hill)\b"
)
# A name after an introduction: up to three words, stopping at punctuation or a common word.
_NOT_NAMES = frozenset(re.findall(r"\S+", (
    "a an and are as at but calling do does for from has have here how i i'm im in is it just living me my "
    "not of on or please so the to was we what when where who why with writing years"
)))
_NAME_WORD = r"[^\W\d_][\w'’-]*"
_INTRODUCED = re.compile(
    rf"\b(?:my name is|my name's|i am called|i'm called|i’m called)\s+((?:{_NAME_WORD}\s*){{1,3}})", re.IGNORECASE
)
_THIS_IS = re.compile(rf"\b[Tt]his is\s+((?:{_NAME_WORD}\s*){{1,3}})")
_PHONE = re.compile(r"(?<!\w)\+?\(?\d[\d\s./()-]{5,}\d(?!\w)")
_LONG_DIGITS = re.compile(r"\d{5,}")
MIN_PHONE_DIGITS = 7


def mask_personal_data(text: str) -> str:
    """`text` with e-mails, links, IP addresses, phone numbers, runs of 5+ digits, street addresses
    and introduced names replaced by labels (see the module docstring)."""
    for pattern, label in _MASKS:
        text = pattern.sub(label, text)
    text = _ADDRESS_CAPITALISED.sub("[address]", _ADDRESS.sub("[address]", text))
    text = _PHONE.sub(lambda m: "[phone]" if _looks_like_phone(m.group()) else m.group(), text)
    text = _LONG_DIGITS.sub("[number]", text)
    text = _INTRODUCED.sub(lambda m: _mask_name(m, capitalised=False), text)
    return _THIS_IS.sub(lambda m: _mask_name(m, capitalised=True), text)


def _mask_name(match: re.Match[str], capitalised: bool) -> str:
    """The introduction with its name words replaced by `[name]`; the words after the name are kept."""
    words = match.group(1).split()
    taken = 0
    while taken < len(words) and words[taken].lower() not in _NOT_NAMES:
        if capitalised and not words[taken][0].isupper():
            break
        taken += 1
    if not taken:
        return match.group()
    intro = match.group()[: match.start(1) - match.start()]
    trailing = match.group(1)[len(match.group(1).rstrip()) :]
    return intro + " ".join(["[name]", *words[taken:]]) + trailing


def _looks_like_phone(candidate: str) -> bool:
    """7+ digits written with separators, a leading + or a leading 0; a bare run is a `[number]`."""
    enough = sum(map(str.isdigit, candidate)) >= MIN_PHONE_DIGITS
    return enough and (not candidate.isdigit() or candidate.startswith("0"))
