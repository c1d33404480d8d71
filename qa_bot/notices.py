"""Typed notices: each fixed text the bot shows beside its quotes, with its kind, so no interface
has to recognise a notice by comparing texts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

NoticeKind = Literal[
    "emergency", "crisis", "personal_advice", "unreviewed", "no_match", "input_error", "context", "not_covered",
    "clarify",
]
URGENT: frozenset[NoticeKind] = frozenset({"emergency", "crisis"})


@dataclass(frozen=True)
class Notice:
    """A fixed text from `texts.toml` (or the library's own error message for `input_error`)."""

    kind: NoticeKind
    text: str

    @property
    def urgent(self) -> bool:
        """True for the emergency and crisis texts, which every interface shows first, as alerts."""
        return self.kind in URGENT


def urgent_first(notices: tuple[Notice, ...]) -> tuple[Notice, ...]:
    """`notices` with the urgent ones first, each text once, otherwise in their order."""
    unique: dict[str, Notice] = {}
    for notice in notices:
        unique.setdefault(notice.text, notice)
    return tuple(sorted(unique.values(), key=lambda n: not n.urgent))
