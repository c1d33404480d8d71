"""Writing to a terminal or a pipe: no raw control characters, and a closed pipe ends quietly."""

from __future__ import annotations

import os
import re
import sys

# Control characters but newline and tab (C0, DEL, C1: escape sequences, BEL, the 8-bit CSI), and
# the line and paragraph separators, which terminals and JSON readers take differently.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Exit status of a command whose reader went away, as shells report one ended by SIGPIPE (128 + 13).
CLOSED_PIPE_STATUS = 141


def printable(text: str) -> str:
    """`text` with every control character but newline and tab shown as an escape (`\\x1b`, `\\x07`)."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def json_printable(line: str) -> str:
    """A JSON text with the control characters JSON leaves raw (DEL, C1, separators) written as `\\u` escapes."""
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", line)


def end_on_closed_pipe() -> int:
    """After a `BrokenPipeError` on standard output (`qa-bot ask … | head -1`): point stdout at
    /dev/null so that the interpreter's last flush cannot fail again, and return 141."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return CLOSED_PIPE_STATUS
