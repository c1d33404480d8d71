"""The product does not load the measurement code: `qa_eval` is for `qa-bot eval` alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_command_line_loads_neither_qa_eval_nor_scipys_optimizer() -> None:
    # scipy itself may load: bm25s uses scipy.sparse when it is installed (sentence-transformers
    # requires it). What must not load is the measurement package and the fit's optimizer.
    check = "import sys, qa_bot.cli; print(sorted(m for m in ('qa_eval', 'scipy.optimize') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_only_the_eval_command_of_qa_bot_names_qa_eval() -> None:
    users = sorted(p.name for p in (ROOT / "qa_bot").glob("*.py") if "qa_eval" in p.read_text(encoding="utf-8"))
    assert users == ["cli.py"]
