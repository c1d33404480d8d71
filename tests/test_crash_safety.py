"""A maintainer's update killed with SIGKILL at several moments leaves a usable index."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from qa_bot import QABot, Settings
from qa_bot.corpus_changes import differences
from qa_bot.embedding import Embedder
from qa_bot.index_store import current_version, read_index
from qa_bot.indexing import build_index

NEW_DOC = "Nystagmus is an involuntary, rhythmic movement of the eyes.\n\nIt can come with dizziness."


def moments(settings: Settings, old_version: str) -> dict[str, Callable[[], bool]]:
    """When to kill: each a condition seen on disk while `qa-bot add` runs."""
    versions = settings.index_dir / "versions"
    return {
        "while starting": lambda: True,
        "after the corpus file is written": lambda: (settings.corpus_dir / "nystagmus.md").exists(),
        "while the new version is written": lambda: any(p.name.startswith(".tmp-") for p in versions.iterdir()),
        "right after the switch": lambda: current_version(settings.index_dir) not in (None, old_version),
    }


@pytest.fixture
def corpus(seed_settings: Settings, embedder: Embedder, tmp_path: Path) -> Settings:
    shutil.copytree(seed_settings.corpus_dir, tmp_path / "corpus")
    settings = replace(seed_settings, corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")
    build_index(settings, embedder)
    (tmp_path / "nystagmus.md").write_text(NEW_DOC)
    return settings


@pytest.mark.parametrize(
    "moment",
    [
        "while starting",
        "after the corpus file is written",
        "while the new version is written",
        "right after the switch",
    ],
)
def test_kill_9_leaves_the_previous_or_the_new_index_usable(corpus: Settings, embedder: Embedder, moment: str) -> None:
    old_version = current_version(corpus.index_dir)
    assert old_version
    condition = moments(corpus, old_version)[moment]
    command = [
        str(Path(sys.executable).with_name("qa-bot")),
        "--corpus",
        str(corpus.corpus_dir),
        "--index",
        str(corpus.index_dir),
        "add",
        str(corpus.corpus_dir.parent / "nystagmus.md"),
        "--title",
        "Nystagmus",
        "--source",
        "test",
        "--reviewed-by",
        "Dr. T",
        "--reviewed-on",
        "2026-11-01",
        "--license",
        "CC0",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HF_HUB_OFFLINE": "1"}
    )
    deadline = time.monotonic() + 120
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, f"finished before the moment {moment!r}: {process.stderr.read()!r}"

    stored = read_index(corpus.index_dir)
    assert stored.version in (old_version, current_version(corpus.index_dir))
    assert ("nystagmus" in stored.documents) == (stored.version != old_version)
    bot = QABot(corpus, embedder, stored)
    assert bot.ask("What is cerebellar atrophy?").status == "answered"

    build_index(corpus, embedder)  # the writer lock died with the process; a rebuild reconciles
    assert differences(corpus, embedder.weights_sha256) == []
    assert not [p for p in (corpus.index_dir / "versions").iterdir() if p.name.startswith(".tmp-")]
