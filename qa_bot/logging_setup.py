"""Log lines for people (`text`) or for a log collector (`json`, one object a line): `Settings.log_format`.

No line carries what a patient typed: the library logs versions, counts and matched rule names,
never a question, and the web layer's request lines (qa_web/metrics.py) hold the route, the status
and the time taken. A JSON line holds `time` (UTC, ISO 8601), `level`, `logger`, `message`, the
record's `fields` when it has some (`logger.info("...", extra={"fields": {...}})`), and `error`
with the traceback of a logged exception.
"""

from __future__ import annotations

import json
import logging
import time

TEXT_FORMAT = "%(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        entry: dict[str, object] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_format: str, level: int = logging.INFO) -> None:
    """Send every logger's records at `level` or above to standard error, as `text` or `json` lines,
    uvicorn's own loggers included (its access log is left off: the app writes its own request lines)."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
