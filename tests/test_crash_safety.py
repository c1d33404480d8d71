"""A maintainer's add, replace, remove and build cut short at every disk-changing moment of a real run
leave the old or the new state, whole, and every next command serves it.

How the crashes are made: every operation that changes the disk passes `qa_bot.durable.crash_point`;
with QA_BOT_CRASH_AT=N the Nth ends the process at once with `os._exit`, as SIGKILL or a power cut
would (no `finally`, no lock released but by the kernel). A first run of each operation counts its
moments; then, for every moment 1..N+1, a child forked from the test process runs the same
operation on a fresh copy of the corpus and index and dies there. Forked children replay the
vectors the real model computed in the counting run (torch hangs in a child forked after it
started its threads); everything else — chunking, FAISS, BM25, the files — is real.

After each crash the next command, in turn `ask`, `check`, `build`, another `add`, runs as the CLI
runs it, then: `ask` answers, `check` passes, the corpus is the old or the new state with every
document whole, the index matches it, the history has one line per change that took effect, and
no temporary file is left after a writer ran. After the first crash of each operation that left a
change to finish or undo, the next command is a real `qa-bot serve` on loopback, asked over HTTP.
SAMPLE moments per operation run in `make test`; CRASH_TEST_EVERY_MOMENT=1 crashes at every one.
One test SIGKILLs a real `qa-bot add` process too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

from qa_bot import QABot, Settings
from qa_bot.audit import HISTORY_FILE, history
from qa_bot.change_journal import JOURNAL
from qa_bot.cli import main
from qa_bot.corpus_changes import add_document, differences, prepare, remove_document, replace_document
from qa_bot.documents import Document, load_corpus
from qa_bot.durable import CRASH_AT, CRASH_EXIT, operations
from qa_bot.embedding import Embedder
from qa_bot.index_store import read_index
from qa_bot.indexing import build_index

from .conftest import PROJECT_CORPUS, SEED_ID
from .test_app import free_port

META = {"source": "https://example.org/t", "reviewed_by": "Dr. Test", "reviewed_on": "2026-11-20", "license": "CC0"}
TREMOR = "A tremor is a rhythmic shaking you cannot control.\n\nEssential tremor often affects the hands."
EDITED = "A tremor is an involuntary quivering movement.\n\nIt may get worse with stress or tiredness."
NYSTAGMUS = "Nystagmus is an involuntary, rhythmic movement of the eyes.\n\nIt can come with dizziness."
VERTIGO = "Vertigo is the feeling that you or the room is spinning.\n\nInner ear problems are a common cause."
QUESTION = "What is cerebellar atrophy?"
NEXT_COMMANDS = ("ask", "check", "build", "add")
MIN_MOMENTS = 20
PROJECT_ROOT = PROJECT_CORPUS.parent
QA_BOT = [sys.executable, "-m", "qa_bot.cli"]  # the code under test, also in a git worktree
SAMPLE = 24  # moments crashed per operation, spread evenly from the first to the last; all of them with
EVERY_MOMENT = "CRASH_TEST_EVERY_MOMENT"  # set in the environment (slower)


def spread(last: int) -> list[int]:
    """The moments 1..`last` to crash at: all, or SAMPLE spread evenly over the whole run."""
    if os.environ.get(EVERY_MOMENT) or last <= SAMPLE:
        return list(range(1, last + 1))
    return sorted({round(1 + i * (last - 1) / (SAMPLE - 1)) for i in range(SAMPLE)})


class ReplayedEmbedder:
    """The real embedder, except that `encode` serves vectors it computed once: a forked child may
    not run torch, so there a text never seen is an error rather than a hang."""

    def __init__(self, real: Embedder) -> None:
        self._real = real
        self.vectors: dict[str, np.ndarray] = {}
        self._parent = os.getpid()

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def encode(self, texts: list[str], show_progress: bool = False, batch_size: int = 16) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        if missing and os.getpid() != self._parent:
            raise AssertionError(f"no recorded vector for {missing[0][:60]!r}")
        if missing:
            self.vectors.update(zip(missing, self._real.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, self._real.dimension), dtype=np.float32)
        return np.stack([self.vectors[t] for t in texts])


@dataclass(frozen=True)
class Scenario:
    """An operation, how to prepare its starting state, and the corpus states allowed after it."""

    run: Callable[[Settings, Embedder], object]
    old: Callable[[dict[str, Document]], dict[str, Document]]  # from the starting corpus
    new: Callable[[dict[str, Document]], dict[str, Document]]
    changes: int  # history lines the operation adds when it takes effect


def doc(name: str, text: str, title: str) -> Document:
    return prepare(name, text.encode(), {**META, "title": title})


def scenarios() -> dict[str, Scenario]:
    nystagmus, edited = doc("nystagmus.md", NYSTAGMUS, "Nystagmus"), doc("tremor.md", EDITED, "Tremor")
    same = dict
    return {
        "add": Scenario(
            lambda s, e: add_document(s, e, nystagmus, "ann"), same, lambda c: {**c, "nystagmus": nystagmus}, 1
        ),
        "replace": Scenario(
            lambda s, e: replace_document(s, e, "tremor", edited, "bob"), same, lambda c: {**c, "tremor": edited}, 1
        ),
        "remove": Scenario(
            lambda s, e: remove_document(s, e, "tremor", "cy"),
            same,
            lambda c: {k: v for k, v in c.items() if k != "tremor"},
            1,
        ),
        # `qa-bot build --force` while an add cut short after its commit point is pending: the build
        # completes the add first (never publishing it without its history line), then rebuilds.
        "build": Scenario(lambda s, e: build_index(s, e), same, same, 0),
    }


class CrashAfterCommit(BaseException):
    """Stands for a crash right after a change's history line was written."""


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, seed_settings: Settings, embedder: Embedder) -> Settings:
    """The seed document and a tremor leaflet, indexed; the starting state of every crash."""
    root = tmp_path_factory.mktemp("crash-template")
    (root / "corpus").mkdir()
    shutil.copy(PROJECT_CORPUS / f"{SEED_ID}.md", root / "corpus")
    settings = replace(seed_settings, corpus_dir=root / "corpus", index_dir=root / "index")
    add_document(settings, embedder, doc("tremor.md", TREMOR, "Tremor"), "setup")
    return settings


def copy_state(source: Settings, root: Path) -> Settings:
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(source.corpus_dir.parent, root)
    return replace(source, corpus_dir=root / "corpus", index_dir=root / "index")


def starting_state(name: str, template: Settings, root: Path, embedder: Embedder) -> Settings:
    settings = copy_state(template, root)
    if name == "build":
        original = scenarios()["add"].run

        def stop(*args: object) -> None:
            raise CrashAfterCommit

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("qa_bot.change_journal.finish", stop)
            with pytest.raises(CrashAfterCommit):
                original(settings, embedder)
        assert (settings.corpus_dir / JOURNAL).exists()
        shutil.rmtree(settings.index_dir / "embeddings")  # and the cache lost: everything is embedded again
    return settings


def crash_in_child(
    run: Callable[[Settings, Embedder], object], settings: Settings, embedder: Embedder, moment: int
) -> int:
    """Run `run` in a forked child that dies at its `moment`th disk change; its exit code."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 1
        try:
            os.environ[CRASH_AT] = str(operations() + moment)
            run(settings, embedder)
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    raise AssertionError(f"the child stopping at moment {moment} hung")


def leftovers(settings: Settings) -> list[Path]:
    index = settings.index_dir
    return [
        *(index / "versions").glob(".tmp-*"),
        *index.glob(".*.tmp*"),
        *(index / "embeddings").glob("*.tmp*"),
        *settings.corpus_dir.glob(".*.tmp*"),
        *settings.corpus_dir.glob(JOURNAL),
    ]


def cli(settings: Settings, *args: str) -> int:
    return main(["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), *args])


def next_command(command: str, settings: Settings, bot: QABot, embedder: Embedder) -> None:
    """What a maintainer or the server runs next, as the CLI runs it (`serve`: a real server)."""
    if command == "ask":
        assert QABot.load(settings, bot.encoder).ask(QUESTION).status == "answered"
    elif command == "check":
        assert cli(settings, "check") == 0
    elif command == "build":
        assert cli(settings, "build") == 0
    elif command == "add":
        add_document(settings, embedder, doc("vertigo.md", VERTIGO, "Vertigo"), "dee")
    else:
        serve_and_ask(settings)


def serve_and_ask(settings: Settings) -> None:
    """A real `qa-bot serve` on loopback starts and answers a question over HTTP."""
    port = free_port()
    command = [*QA_BOT, "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir), "serve", "--port",
               str(port)]
    env = {**os.environ, "QA_BOT_ONNX_DIR": str(settings.onnx_dir), "PYTHONPATH": str(PROJECT_ROOT)}
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
                break
            except OSError:
                assert time.monotonic() < deadline, "qa-bot serve did not start"
                time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/ask", json.dumps({"question": QUESTION}).encode(),
            {"Content-Type": "application/json"},
        )
        answer = json.load(urllib.request.urlopen(request, timeout=30))
        assert answer["status"] == "answered" and answer["disclaimer"]
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("name", ["add", "replace", "remove", "build"])
def test_a_change_cut_short_at_any_moment_leaves_the_old_or_the_new_state_whole(
    name: str, template: Settings, embedder: Embedder, bot: QABot, tmp_path: Path
) -> None:
    scenario = scenarios()[name]
    replayed = ReplayedEmbedder(embedder)
    counted = starting_state(name, template, tmp_path / "count", replayed)
    start = load_corpus(counted.corpus_dir)
    if name == "build":  # the pending add is the state to be completed
        start = scenarios()["add"].new(start)
    lines_before = len(history(counted.corpus_dir))
    before = operations()
    scenario.run(counted, replayed)
    moments = operations() - before
    assert moments >= MIN_MOMENTS, f"{name}: only {moments} disk-changing moments"
    print(f"{name}: {moments} disk-changing moments, crashed at {len(spread(moments + 1))}")
    old, new = scenario.old(start), scenario.new(start)

    served: set[str] = set()
    for moment in spread(moments + 1):
        settings = starting_state(name, template, tmp_path / "crash", replayed)
        code = crash_in_child(scenario.run, settings, replayed, moment)
        assert code == (0 if moment > moments else CRASH_EXIT), f"{name}, moment {moment}: exit {code}"
        pending = (settings.corpus_dir / JOURNAL).exists()  # the crash left a change to finish or undo
        command = "serve" if pending and "serve" not in served else NEXT_COMMANDS[moment % len(NEXT_COMMANDS)]
        served.add(command)
        next_command(command, settings, bot, replayed)

        where = f"{name}, crash at moment {moment} of {moments}, then {command}"
        corpus = load_corpus(settings.corpus_dir)
        extra = 1 if command == "add" else 0
        if extra:
            assert corpus.pop("vertigo") == doc("vertigo.md", VERTIGO, "Vertigo"), where
        assert corpus in (old, new), f"{where}: the corpus is neither the old nor the new state"
        took_effect = corpus == new and corpus != old
        changes = history(settings.corpus_dir)
        assert len(changes) == lines_before + scenario.changes * took_effect + extra, where
        assert len(changes) == len((settings.corpus_dir / HISTORY_FILE).read_text().splitlines()), where
        assert differences(settings, embedder.weights_sha256) == [], where
        assert QABot.load(settings, bot.encoder).ask(QUESTION).status == "answered", where
        if command in ("build", "add"):
            assert leftovers(settings) == [], where
        assert not (settings.corpus_dir / JOURNAL).exists(), where
    assert served == {*NEXT_COMMANDS, "serve"}, served


def test_a_real_sigkill_during_add_is_completed_or_undone_by_the_next_ask(
    template: Settings, embedder: Embedder, bot: QABot, tmp_path: Path
) -> None:
    """The crash points stand for real kills: SIGKILL a `qa-bot add` process once its journal exists."""
    settings = copy_state(template, tmp_path / "state")
    (tmp_path / "nystagmus.md").write_text(NYSTAGMUS)
    command = [*QA_BOT, "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
               "add", str(tmp_path / "nystagmus.md"), "--title", "Nystagmus",
               *(f"--{key.replace('_', '-')}={value}" for key, value in META.items())]
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while not (settings.corpus_dir / JOURNAL).exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""

    assert QABot.load(settings, bot.encoder).ask(QUESTION).status == "answered"
    added = "nystagmus" in load_corpus(settings.corpus_dir)
    assert len(history(settings.corpus_dir)) == 1 + added  # the setup's add, and this one if it took effect
    assert ("nystagmus" in read_index(settings.index_dir).documents) == added
    assert differences(settings, embedder.weights_sha256) == [] and not leftovers(settings)
