"""The documents of an index version, read from its `documents.jsonl` when asked for, not held.

The document bodies were most of a server's private memory beyond the vectors (15 MiB of text on
the eval corpus, about 60 MiB per 100k passages). Only the position of each document's line in the
file is kept; a document is read at its offset (`os.pread`) and parsed when asked for (about 10 µs),
and the most recently asked-for documents are kept parsed, so an answer's few documents cost nothing
the second time. The file's pages stay in the page cache, shared by every process serving the
version and not mapped into any; the file stays open, so a version pruned while it is served stays
readable.
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterator, Mapping
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

from .documents import OPTIONAL_FIELDS, REQUIRED_FIELDS, Document

FIELDS = (*REQUIRED_FIELDS, *OPTIONAL_FIELDS, "body")
KEPT_PARSED = 512


def parse_document(line: bytes | str) -> Document:
    """One line of `documents.jsonl` as a `Document`."""
    record = json.loads(line)
    return Document(**{k: record[k] for k in FIELDS if k in record})


class StoredDocuments(Mapping[str, Document]):
    """Read-only `doc_id -> Document` over a `documents.jsonl` file, in the file's order."""

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self._lines: dict[str, tuple[int, int]] = {}
        size = os.fstat(self._file.fileno()).st_size
        # Scanned through a map dropped at the end: no line is read into a buffer of its own.
        with mmap.mmap(self._file.fileno(), 0, access=mmap.ACCESS_READ) if size else nullcontext(b"") as whole:
            start = 0
            while start < size:
                end = whole.find(b"\n", start)
                end = size if end < 0 else end
                if end > start:
                    doc = parse_document(whole[start:end])  # each line read whole once: a bad file fails here
                    self._lines[doc.id] = (start, end - start)
                start = end + 1
        self._parsed = lru_cache(maxsize=KEPT_PARSED)(self._read)

    def _read(self, doc_id: str) -> Document:
        start, length = self._lines[doc_id]
        return parse_document(os.pread(self._file.fileno(), length, start))

    def __getitem__(self, doc_id: str) -> Document:
        if doc_id not in self._lines:
            raise KeyError(doc_id)
        return self._parsed(doc_id)

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._lines
