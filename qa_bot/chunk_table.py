"""Where each passage of an index version sits, held as integer columns instead of an object a passage.

A loaded version has one `ChunkRecord` per passage. As Python objects those cost about 110 bytes a
passage (the record, its two offsets, the list's pointer), and reading them from the manifest's JSON
made a dictionary per passage first; `ChunkTable` keeps four 32-bit columns (document, start, end,
section; 16 bytes a passage) and makes a record only when one is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np

FIELDS = ("doc_id", "start", "end", "section")


@dataclass(frozen=True, slots=True)
class ChunkRecord:
    """Where a passage sits: `documents[doc_id].body[start:end]`."""

    doc_id: str
    start: int
    end: int
    section: str


def chunk_row(fields: dict) -> dict | tuple:
    """A `json.loads` object hook: a passage's JSON object as a `(doc_id, start, end, section)` tuple
    (smaller than the dictionary while the manifest is read); any other object unchanged."""
    return tuple(fields[name] for name in FIELDS) if len(fields) == len(FIELDS) and fields.keys() >= set(FIELDS) \
        else fields


class ChunkTable(Sequence[ChunkRecord]):
    """The passages of a version, row i being passage i: a read-only sequence of `ChunkRecord`."""

    __slots__ = ("_doc", "_start", "_end", "_section", "_doc_ids", "_sections")

    def __init__(self, rows: Iterable[tuple[str, int, int, str] | ChunkRecord]) -> None:
        doc_number: dict[str, int] = {}
        section_number: dict[str, int] = {}
        docs: list[int] = []
        starts: list[int] = []
        ends: list[int] = []
        sections: list[int] = []
        for row in rows:
            doc_id, start, end, section = (row.doc_id, row.start, row.end, row.section) \
                if isinstance(row, ChunkRecord) else row
            docs.append(doc_number.setdefault(doc_id, len(doc_number)))
            starts.append(start)
            ends.append(end)
            sections.append(section_number.setdefault(section, len(section_number)))
        self._doc = np.array(docs, dtype=np.int32)
        self._start = np.array(starts, dtype=np.int32)
        self._end = np.array(ends, dtype=np.int32)
        self._section = np.array(sections, dtype=np.int32)
        self._doc_ids = list(doc_number)
        self._sections = list(section_number)

    def __len__(self) -> int:
        return len(self._doc)

    @overload
    def __getitem__(self, row: int) -> ChunkRecord: ...

    @overload
    def __getitem__(self, row: slice) -> list[ChunkRecord]: ...

    def __getitem__(self, row: int | slice) -> ChunkRecord | list[ChunkRecord]:
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        row = int(row)
        return ChunkRecord(self._doc_ids[self._doc[row]], int(self._start[row]), int(self._end[row]),
                           self._sections[self._section[row]])

    def __iter__(self) -> Iterator[ChunkRecord]:
        doc_ids, sections = self._doc_ids, self._sections
        for doc, start, end, section in zip(self._doc.tolist(), self._start.tolist(), self._end.tolist(),
                                            self._section.tolist(), strict=True):
            yield ChunkRecord(doc_ids[doc], start, end, sections[section])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]
