"""An earlier revision of this checkout, checked out beside it for a before/after comparison."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def revision_tree(revision: str, folder: Path) -> Iterator[Path]:
    """`revision` in a detached git worktree at `folder`, removed again on leaving."""
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(folder), revision], cwd=ROOT, check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, check=False)
