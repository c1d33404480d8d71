"""Durable file operations: atomic writes, fsyncs, renames and appends that never leave a torn file.

Every operation that changes the disk passes `crash_point()` first. With `QA_BOT_CRASH_AT=N` set,
the Nth of them ends the process at once (`os._exit`), as a power cut or SIGKILL would: the crash
tests (tests/test_crash_safety.py) count the operations of a real run and stop it at each one.
Disk errors become `DiskError`, a `QABotError` that says which file and what to do.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import QABotError

CRASH_AT = "QA_BOT_CRASH_AT"
CRASH_EXIT = 86
_taken = 0


class DiskError(QABotError):
    """A file could not be written (disk full, no permission); nothing was changed."""


def crash_point() -> None:
    """One more disk-changing moment; with QA_BOT_CRASH_AT=N the Nth ends the process at once."""
    global _taken
    _taken += 1
    if os.environ.get(CRASH_AT) == str(_taken):
        os._exit(CRASH_EXIT)


def operations() -> int:
    """How many disk-changing moments this process has passed (for the crash tests)."""
    return _taken


@contextmanager
def disk_errors(action: str) -> Iterator[None]:
    """Turn an `OSError` raised while `action` writes into a `DiskError` that says what to do."""
    try:
        yield
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskError(
                f"the disk is full{where}; {action} was not done and nothing was changed. "
                "Free some space and run the command again."
            ) from None
        raise DiskError(
            f"could not write{where}: {err.strerror or err}; {action} was not done and nothing was changed."
        ) from None


PRIVATE_MODE = 0o600  # files of what patients typed: readable by their owner only


def write_atomic(path: Path, data: bytes, private: bool = False) -> None:
    """Replace `path` by `data` in one step: readers see the old or the new content, whole; a
    `private` file is created with mode 0600 under any umask."""
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        crash_point()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE if private else 0o644)
        if private:
            os.fchmod(fd, PRIVATE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            crash_point()
            os.fsync(handle.fileno())
        replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync(path.parent)


def append_line(path: Path, line: str, private: bool = False) -> None:
    """Append one line durably; on failure the file is cut back to its old end (no torn line), and a
    torn line left by a crash is ended first, so the new record never joins it. A `private` file
    (even one made earlier by another tool) gets mode 0600."""
    data = line.rstrip("\n").encode("utf-8") + b"\n"
    crash_point()
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, PRIVATE_MODE if private else 0o644)
    try:
        if private:
            os.fchmod(fd, PRIVATE_MODE)
        end = os.fstat(fd).st_size
        if end and os.pread(fd, 1, end - 1) != b"\n":
            data = b"\n" + data
        try:
            written = 0
            while written < len(data):
                written += os.write(fd, data[written:])
            crash_point()
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, end)
            os.fsync(fd)
            raise
    finally:
        os.close(fd)


def replace(source: Path, target: Path) -> None:
    """`os.replace`, as a crash moment."""
    crash_point()
    os.replace(source, target)


def unlink(path: Path) -> None:
    """Delete a file if it exists, durably."""
    crash_point()
    path.unlink(missing_ok=True)
    fsync(path.parent)


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it, if it exists."""
    crash_point()
    shutil.rmtree(path, ignore_errors=True)


def fsync(path: Path) -> None:
    """Flush a file's or a folder's content to the disk."""
    crash_point()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
