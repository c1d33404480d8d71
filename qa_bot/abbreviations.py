"""A document's abbreviation in a question read with the name it stands for: "my husband with MSA keeps
choking" is searched as "my husband with MSA (Multiple system atrophy) keeps choking".

Patients write the short name their doctor used; the model hardly knows most ("ARSACS", "SCA3"), so
the question is far in meaning from the page's title and may be refused. The abbreviations come
from the documents themselves: where the text names its title, the short name in brackets or after
"known as" / "called" shortly after it ("Multiple system atrophy (MSA) is ...", "..., more commonly
known as ARSACS,"), at least two capitals and nothing but capitals, digits and hyphens. An
abbreviation is expanded only when every document giving it names the same condition (their titles
have the same content words, "type" aside); it is found as typed in capitals, or in small letters
when it has a digit ("sca3"). The embedding and BM25 both read the expanded question; quotes are
document slices as always, and a question naming no abbreviation is searched exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .documents import Document
from .focus import after_title
from .lexical import content_words

# Where a page gives its subject's short name: within a few words after the title, before the sentence ends.
_AFTER_TITLE = re.compile(r"^(?:\s*\(|[^.;:()]{0,40}?\b(?:known as|called)\s+)([A-Z][A-Z0-9-]*[A-Z0-9])\b")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]")


def _condition(title: str) -> frozenset[str]:
    return frozenset(content_words(title) - {"type"})


def short_names(doc: Document) -> list[str]:
    """The abbreviations `doc`'s text gives its title, in order (repeats kept once)."""
    found = [name.group(1) for rest in after_title(doc) if (name := _AFTER_TITLE.match(rest[:80]))]
    return list(dict.fromkeys(name for name in found if sum(ch.isupper() for ch in name) >= 2))


class Abbreviations:
    """The abbreviations of one corpus's documents and the titles they stand for."""

    def __init__(self, documents: Mapping[str, Document]) -> None:
        titles: dict[str, list[str]] = {}
        for doc_id in sorted(documents):
            doc = documents[doc_id]
            for name in short_names(doc):
                titles.setdefault(name, []).append(doc.title)
        self._expansions = {
            abbreviation: names[0]
            for abbreviation, names in titles.items()
            if len({_condition(t) for t in names}) == 1
        }

    def expanded(self, text: str) -> str:
        """`text` with each abbreviation it names followed by its title in brackets (once each)."""
        if not self._expansions:
            return text
        done: set[str] = set()

        def expand(match: re.Match[str]) -> str:
            token = match.group()
            key = token if token in self._expansions else token.upper() if any(c.isdigit() for c in token) else ""
            title = self._expansions.get(key)
            if title is None or key in done or title.lower() in text.lower():
                return token
            done.add(key)
            return f"{token} ({title})"

        return _TOKEN.sub(expand, text)
