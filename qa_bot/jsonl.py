"""Reading JSON-lines files (history, feedback, question log) that a crash or a full disk may have torn."""

from __future__ import annotations

import json
import logging
from pathlib import Path

logger = logging.getLogger(__name__)


def read_records(path: Path) -> list[dict]:
    """Every JSON object in `path`, one per line, oldest first; a line that is not a whole JSON object
    (cut short by a crash or a full disk) is skipped with a warning naming the file and line."""
    if not path.exists():
        return []
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict):
            records.append(record)
        else:
            logger.warning("%s line %d is not a whole record (cut short by a crash?); skipped", path, number)
    return records
