"""Turn an uploaded file (Markdown, text, HTML or PDF) into metadata and plain text to store."""

from __future__ import annotations

import io
import re
from pathlib import Path

from .documents import MAX_DOCUMENT_BYTES, split_front_matter
from .errors import InvalidDocument

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES, ".pdf")
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "dt", "dd", "td", "th", "caption")
_HTML_NOISE = ("script", "style", "noscript", "template", "nav", "header", "footer", "form", "button", "svg")


def extract(name: str, data: bytes) -> tuple[dict[str, str], str]:
    """Metadata found in the file (front matter, an HTML <title>) and the text to store and quote."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InvalidDocument(f"{name}: unsupported file type; give one of {', '.join(SUPPORTED_SUFFIXES)}.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InvalidDocument(f"{name}: {len(data):,} bytes is over the {MAX_DOCUMENT_BYTES:,}-byte limit; split it.")
    if not data.strip():
        raise InvalidDocument(f"{name}: the document is empty; a document needs text to quote.")
    if suffix == ".pdf":
        meta, text = {}, _pdf_text(name, data)
    elif suffix in HTML_SUFFIXES:
        meta, text = _html_text(name, data)
    else:
        meta, text = split_front_matter(_decode(name, data), name)
    if not text.strip() and suffix == ".pdf":
        raise InvalidDocument(f"{name}: no text could be found in it; a scanned PDF needs OCR first.")
    if not text.strip():
        raise InvalidDocument(f"{name}: the document is empty; a document needs text to quote.")
    return meta, text


def _decode(name: str, data: bytes) -> str:
    if b"\x00" in data:
        raise InvalidDocument(f"{name}: looks binary (contains NUL bytes); give a text file.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidDocument(f"{name}: not UTF-8 text (byte {err.start}); convert it to UTF-8.") from None


def _html_text(name: str, data: bytes) -> tuple[dict[str, str], str]:
    """Block elements become paragraphs, headings become Markdown headings; scripts are dropped."""
    from bs4 import BeautifulSoup

    if b"\x00" in data:
        raise InvalidDocument(f"{name}: looks binary (contains NUL bytes); give an HTML file.")
    soup = BeautifulSoup(data, "html.parser")
    for noise in soup.find_all(_HTML_NOISE):
        noise.decompose()
    title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
    paragraphs = []
    for block in soup.find_all(_HTML_BLOCKS):
        if block.find_parent(_HTML_BLOCKS):
            continue
        text = " ".join(block.get_text(" ").split())
        if text:
            level = int(block.name[1]) if re.fullmatch(r"h[1-6]", block.name) else 0
            paragraphs.append(f"{'#' * level} {text}" if level else text)
    return ({"title": title} if title else {}), "\n\n".join(paragraphs) + "\n"


def _pdf_text(name: str, data: bytes) -> str:
    """The text of each page; lines of one paragraph are joined, blank lines separate paragraphs."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise InvalidDocument(f"{name}: not a PDF file (it does not start with %PDF).")
    try:
        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise InvalidDocument(f"{name}: the PDF could not be read ({err}); export it again or give text.") from None
    paragraphs = [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for page in pages
        for block in re.split(r"\n\s*\n", page)
    ]
    return "\n\n".join(p for p in paragraphs if p) + "\n"
