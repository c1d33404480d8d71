"""Make text from documents and users inert before it reaches a page."""

from __future__ import annotations

import re

# Characters that Markdown, LaTeX or HTML would interpret: shown as entities, so text stays text.
_ACTIVE = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>$&\"']")


def escape(text: str) -> str:
    """Make document or user text inert: every active character becomes an HTML entity."""
    return _ACTIVE.sub(lambda m: f"&#{ord(m.group())};", text).replace("\n", "<br>")
