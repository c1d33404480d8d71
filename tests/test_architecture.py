"""Imports go one way and stay light: no cycle, the core knows no interface, answering loads no torch."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_bot import QABot

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import check_imports  # noqa: E402

HEAVY = ("torch", "sentence_transformers", "transformers", "scipy", "gradio", "qa_eval", "qa_web")
# Run a qa-bot command in a fresh interpreter, then print the heavy modules it loaded.
PROBE = """
import contextlib, io, json, sys
from qa_bot.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        code = main(sys.argv[1:])
    except SystemExit as exit:
        code = exit.code
print(json.dumps({"code": code, "loaded": sorted(m for m in HEAVY if m in sys.modules)}))
""".replace("HEAVY", repr(HEAVY))


def test_the_packages_have_no_import_cycle_and_the_core_imports_no_interface() -> None:
    assert check_imports.problems() == []


def test_the_check_finds_a_cycle_and_a_core_module_importing_an_interface(tmp_path: Path) -> None:
    core = tmp_path / "qa_bot"
    core.mkdir()
    (core / "__init__.py").write_text("")
    (core / "a.py").write_text("from .b import thing\n")
    (core / "b.py").write_text("def f():\n    from . import a\n    import gradio\n")
    (core / "cli.py").write_text("import gradio\n")  # the command line may
    assert check_imports.problems(tmp_path) == [
        "import cycle: qa_bot.a <-> qa_bot.b",
        "qa_bot.b imports gradio: the library must not know its interfaces",
    ]


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    check = f"import sys, qa_bot.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "command",
    [["ask", "--json", "What is cerebellar atrophy?"], ["list"], ["check"], ["history"], ["feedback"], ["--help"]],
)
def test_commands_that_do_not_embed_passages_load_nothing_heavy(bot: QABot, command: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    env |= {"QA_BOT_CORPUS": str(bot.settings.corpus_dir), "QA_BOT_INDEX": str(bot.settings.index_dir),
            "QA_BOT_ONNX_DIR": str(bot.settings.onnx_dir), "QA_BOT_FEEDBACK": str(bot.settings.feedback_dir)}
    result = subprocess.run([sys.executable, "-c", PROBE, *command], capture_output=True, text=True, cwd=ROOT,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"code": 0, "loaded": []}, result.stderr
