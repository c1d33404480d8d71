"""CLI output: no raw control characters reach a terminal, and a reader that goes away ends it quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qa_bot import QABot
from qa_bot.feedback import FEEDBACK_FILE, record
from qa_bot.terminal import CLOSED_PIPE_STATUS, json_printable, printable

ROOT = Path(__file__).resolve().parent.parent


def test_escape_codes_and_bell_are_shown_not_sent() -> None:
    assert printable("red \x1b[31mtext\x07, CSI \x9b2J, DEL \x7f, CR \r.\tTab\nkept é") == (
        "red \\x1b[31mtext\\x07, CSI \\x9b2J, DEL \\x7f, CR \\r.\tTab\nkept é"
    )


def test_json_lines_keep_their_value_with_no_raw_control_characters() -> None:
    value = {"text": "a\x9bb\x1bc\u2028d é"}
    line = json_printable(json.dumps(value, ensure_ascii=False))
    assert json.loads(line) == value and "é" in line
    assert not any(0x7F <= ord(ch) <= 0x9F or ord(ch) < 0x20 or ch == "\u2028" for ch in line)


def read_one_line_then_close(argv: list[str], env: dict[str, str]) -> tuple[str, int, str]:
    """Run `qa-bot ARGV | head -1`: read one line of its output, close the pipe, and wait."""
    process = subprocess.Popen(
        [sys.executable, "-m", "qa_bot.cli", *argv], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first = process.stdout.readline()
    process.stdout.close()
    error = process.stderr.read()
    return first, process.wait(timeout=120), error


def test_ask_into_a_closed_pipe_ends_quietly(bot: QABot, tmp_path: Path) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text("What is cerebellar atrophy?\n" * 300)  # far more than a pipe holds
    env = {**os.environ, "QA_BOT_CORPUS": str(bot.settings.corpus_dir), "QA_BOT_INDEX": str(bot.settings.index_dir)}
    first, status, error = read_one_line_then_close(["ask", "--file", str(questions)], env)
    assert first == "Question: What is cerebellar atrophy?\n"
    assert (status, error) == (CLOSED_PIPE_STATUS, "")


def test_feedback_into_a_closed_pipe_ends_quietly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as setup:  # the ratings to print, written without their fsyncs
        setup.setattr(os, "fsync", lambda fd: None)
        for number in range(900):
            record(tmp_path, f"Question number {number} about cerebellar atrophy?", "up")
    assert (tmp_path / FEEDBACK_FILE).stat().st_size > 2 * 65536  # twice what a pipe holds
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    first, status, error = read_one_line_then_close(["feedback"], {**env, "QA_BOT_FEEDBACK": str(tmp_path)})
    assert "'Question number 0 about cerebellar atrophy?'" in first
    assert (status, error) == (CLOSED_PIPE_STATUS, "")


@pytest.mark.parametrize("command", [["feedback"], ["history"]])
def test_commands_that_fit_the_pipe_still_succeed(tmp_path: Path, command: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    env.update(QA_BOT_FEEDBACK=str(tmp_path), QA_BOT_CORPUS=str(tmp_path))
    result = subprocess.run([sys.executable, "-m", "qa_bot.cli", *command], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
