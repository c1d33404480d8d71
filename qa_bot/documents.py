"""Vetted documents: a front-matter header (metadata) and a body that quotes are sliced from."""

from __future__ import annotations

import hashlib
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import InvalidDocument

REQUIRED_FIELDS = ("id", "title", "source", "reviewed_by", "reviewed_on", "license")
# Provenance of a document taken from a vetted publisher (the NIH library): who published it, the
# licence's attribution, when the text was retrieved, and `review_status: as published`.
OPTIONAL_FIELDS = ("publisher", "attribution", "retrieved", "review_status")
AS_PUBLISHED = "as published"
DOCUMENT_SUFFIXES = (".md", ".txt")
MAX_DOCUMENT_BYTES = 5_000_000
FENCE = "---"
NOT_REVIEWED = "not reviewed"
_DATE = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
BOM = "\ufeff"
# Control characters (C0, DEL, C1: terminal escape codes, BEL, ...) but tab, newline and the CR of CRLF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")


@dataclass(frozen=True)
class Document:
    """One vetted document; `body` is exactly the text that quotes are sliced from."""

    id: str
    title: str
    source: str
    reviewed_by: str
    reviewed_on: str
    license: str
    body: str
    publisher: str = ""
    attribution: str = ""
    retrieved: str = ""
    review_status: str = ""

    @property
    def content_hash(self) -> str:
        """SHA-256 of the serialised document: metadata and body."""
        return hashlib.sha256(to_text(self).encode("utf-8")).hexdigest()

    @property
    def body_hash(self) -> str:
        """SHA-256 of the body alone: equal for two copies of the same text."""
        return hashlib.sha256(self.body.strip().encode("utf-8")).hexdigest()

    @property
    def reviewed(self) -> bool:
        """False while no clinician has signed the document off."""
        return is_date(self.reviewed_on)

    @property
    def review(self) -> str:
        """"reviewed" (signed off by a clinician), "as_published" (the text as its publisher, who
        vetted it, published it) or "unreviewed"."""
        if self.reviewed:
            return "reviewed"
        return "as_published" if self.review_status == AS_PUBLISHED else "unreviewed"

    @property
    def vetted(self) -> bool:
        """True unless nobody has vetted the text: answers quoting it say so."""
        return self.review != "unreviewed"


def is_date(text: str) -> bool:
    """True for a real calendar date written YYYY-MM-DD (2026-02-30 is not one)."""
    if not _DATE.fullmatch(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def to_text(doc: Document) -> str:
    """Serialise a document as front matter followed by its body, unchanged."""
    names = REQUIRED_FIELDS + tuple(name for name in OPTIONAL_FIELDS if getattr(doc, name))
    header = "\n".join(f"{name}: {getattr(doc, name)}" for name in names)
    return f"{FENCE}\n{header}\n{FENCE}\n{doc.body}"


def from_text(text: str, origin: str = "document") -> Document:
    """Parse front matter and body; raise `InvalidDocument` saying what to fix."""
    text = text.removeprefix(BOM)
    if not text.startswith(FENCE):
        raise InvalidDocument(
            f"{origin}: must start with a '---' line, then 'key: value' lines "
            f"({', '.join(REQUIRED_FIELDS)}), then '---' and the text."
        )
    meta, body = split_front_matter(text, origin)
    return make_document(meta, body, origin)


def split_front_matter(text: str, origin: str = "document") -> tuple[dict[str, str], str]:
    """Split optional front matter from the body; without a header the whole text is the body.
    A UTF-8 byte order mark before it is dropped; a key given twice is refused."""
    text = text.removeprefix(BOM)
    if "\x00" in text:
        raise InvalidDocument(f"{origin}: looks binary (contains NUL bytes); give a text file.")
    lines = text.split("\n")
    if lines[0].rstrip("\r") != FENCE:
        return {}, text
    meta: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        line = line.rstrip("\r")
        if line == FENCE:
            return meta, "\n".join(lines[number:])
        if not line.strip():
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise InvalidDocument(f"{origin}, line {number}: expected 'key: value', got {line!r}.")
        if key.strip() in meta:
            raise InvalidDocument(f"{origin}, line {number}: {key.strip()!r} is given twice; keep one.")
        meta[key.strip()] = value.strip()
    raise InvalidDocument(f"{origin}: the front matter is never closed with a '---' line.")


def make_document(meta: dict[str, str], body: str, origin: str = "document") -> Document:
    """Check metadata and body and build a `Document`."""
    missing = [name for name in REQUIRED_FIELDS if not meta.get(name, "").strip()]
    if missing:
        raise InvalidDocument(f"{origin}: missing metadata {', '.join(missing)}; add them to the header.")
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise InvalidDocument(
            f"{origin}: unknown metadata {', '.join(unknown)}; allowed: "
            f"{', '.join(REQUIRED_FIELDS + OPTIONAL_FIELDS)}."
        )
    if not _ID_PATTERN.match(meta["id"]):
        raise InvalidDocument(f"{origin}: id {meta['id']!r} must be letters, digits, '.', '_' or '-' (at most 128).")
    if not (is_date(meta["reviewed_on"]) or meta["reviewed_on"] == NOT_REVIEWED):
        raise InvalidDocument(
            f"{origin}: reviewed_on {meta['reviewed_on']!r} must be a date like 2026-11-24 (a day that "
            f"exists), or {NOT_REVIEWED!r}."
        )
    status = meta.get("review_status")
    if status is not None and (status != AS_PUBLISHED or not meta.get("publisher", "").strip()):
        raise InvalidDocument(
            f"{origin}: review_status can only be {AS_PUBLISHED!r} (the text as its publisher published it), "
            "with the publisher named in `publisher`; leave it out otherwise."
        )
    if any("\n" in value for value in meta.values()):
        raise InvalidDocument(f"{origin}: metadata values must fit on one line.")
    for name, value in meta.items():
        _refuse_control_characters(value, f"{origin}: metadata {name}")
    _refuse_control_characters(body, f"{origin}: the text")
    if not body.strip():
        raise InvalidDocument(f"{origin}: the document is empty; a document needs text to quote.")
    fields = {name: meta[name].strip() for name in REQUIRED_FIELDS + OPTIONAL_FIELDS if name in meta}
    return Document(body=body, **fields)


def _refuse_control_characters(text: str, where: str) -> None:
    """Refuse terminal escape codes, BEL and other control characters, saying where the first one is."""
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise InvalidDocument(
            f"{where} has a control character (U+{ord(found.group()[0]):04X}) at line {line}, column {column}; "
            "remove it: of those, only tab and newline may appear."
        )


def same_id(doc_id: str, ids: Iterable[str]) -> str | None:
    """The id among `ids` equal to `doc_id` ignoring case ("Ataxia" and "ataxia" are one), if any."""
    return next((other for other in ids if other.casefold() == doc_id.casefold()), None)


def read_file_limited(path: Path) -> bytes:
    """The bytes of a document file, refusing a symbolic link, anything but a regular file, and a file
    over `MAX_DOCUMENT_BYTES` before it is read whole."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        if path.is_symlink():
            raise InvalidDocument(f"{path}: is a symbolic link; give the file itself.") from None
        raise InvalidDocument(f"cannot read {path}: {err.strerror}.") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidDocument(f"{path}: is not a regular file; give a document file.")
        size = info.st_size
        data = handle.read(MAX_DOCUMENT_BYTES + 1) if size <= MAX_DOCUMENT_BYTES else b""  # it may grow meanwhile
    if max(size, len(data)) > MAX_DOCUMENT_BYTES:
        size = max(size, len(data))
        raise InvalidDocument(f"{path}: {size:,} bytes is over the {MAX_DOCUMENT_BYTES:,}-byte limit; split it.")
    return data


def read_document(path: Path) -> Document:
    """Read one corpus file, refusing links, huge, binary or undecodable input."""
    raw = read_file_limited(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InvalidDocument(f"{path}: not UTF-8 text (byte {err.start}); convert it to UTF-8.") from None
    return from_text(text, origin=str(path))


def corpus_paths(corpus_dir: Path) -> dict[str, Path]:
    """The file of every document in `corpus_dir`, keyed by id; duplicate ids are an error."""
    return {doc_id: path for doc_id, (path, _) in _scan(corpus_dir).items()}


def load_corpus(corpus_dir: Path) -> dict[str, Document]:
    """Load every document in `corpus_dir`, keyed by id; duplicate ids are an error."""
    return {doc_id: doc for doc_id, (_, doc) in _scan(corpus_dir).items()}


def _scan(corpus_dir: Path) -> dict[str, tuple[Path, Document]]:
    if not corpus_dir.is_dir():
        raise InvalidDocument(f"corpus folder {corpus_dir} does not exist; create it or set QA_BOT_CORPUS.")
    found: dict[str, tuple[Path, Document]] = {}
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in DOCUMENT_SUFFIXES or path.name.startswith("."):
            continue
        doc = read_document(path)
        taken = same_id(doc.id, found)
        if taken is not None:
            raise InvalidDocument(f"{path}: id {doc.id!r} is already used by {found[taken][0]} (ids ignore case).")
        found[doc.id] = (path, doc)
    return found


def corpus_fingerprint(documents: dict[str, Document]) -> str:
    """A hash that changes whenever any document is added, removed or edited."""
    digest = hashlib.sha256()
    for doc_id in sorted(documents):
        digest.update(f"{doc_id}\0{documents[doc_id].content_hash}\n".encode())
    return digest.hexdigest()
