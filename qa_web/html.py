"""Make text from documents and users inert before it reaches a page."""

from __future__ import annotations

import re

# Characters that Markdown, LaTeX or HTML would interpret: shown as entities, so text stays text.
_ACTIVE = re.compile(r"[\\`*_{}\[\]()#+\-.!|~<>$&\"']")


def escape(text: str) -> str:
    """Make document or user text inert: every active character becomes an HTML entity."""
    return _ACTIVE.sub(lambda m: f"&#{ord(m.group())};", text).replace("\n", "<br>")


def attribute(text: str) -> str:
    """Text for a double-quoted HTML attribute: active characters and line breaks as entities."""
    return re.sub(r"[\n\r\t]", lambda m: f"&#{ord(m.group())};", _ACTIVE.sub(lambda m: f"&#{ord(m.group())};", text))


def source_html(source: str) -> str:
    """A document's source as inert text, or as a link opening in a new tab when it is an http(s) URL."""
    shown = escape(source)
    if re.fullmatch(r"https?://\S+", source):
        return f'<a href="{attribute(source)}" target="_blank" rel="noopener noreferrer">{shown}</a>'
    return shown


# Browser code that copies `text`, with a fallback for pages that are not a secure context (the
# Clipboard API is refused there); both copy buttons (chat and staff search) call it.
COPY_FUNCTION = """
async function qaCopyText(text, button) {
  try { await navigator.clipboard.writeText(text); return true; } catch (error) {
    const area = document.createElement('textarea');
    area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
    document.body.appendChild(area); area.select();
    let copied = false;
    try { copied = document.execCommand('copy'); } catch (ignored) { copied = false; }
    area.remove(); button.focus();
    return copied;
  }
}
"""
