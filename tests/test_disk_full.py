"""A full disk: a clear `qa-bot:` message and no traceback, nothing changed or torn, and the same
command succeeds once space is freed. The corpus and the index live on a small tmpfs, filled to leave
a little space: from none to enough for the whole change, so the disk runs out at every kind of write
in turn.

Root mounts the tmpfs directly. Anyone else runs these tests again in a child process with its own
user and mount namespace (`unshare --user --map-root-user --mount`, where the kernel lets users make
namespaces: most Linux systems and CI runners), in which it is root of its own mounts; that run must
pass. Only where neither works are the tests skipped, saying why.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from qa_bot import QABot, Settings
from qa_bot.audit import HISTORY_FILE, Change, history, record
from qa_bot.cli import main
from qa_bot.corpus_changes import differences
from qa_bot.durable import append_line
from qa_bot.embedding import Embedder
from qa_bot.feedback import FEEDBACK_FILE, read_feedback

from .test_crash_safety import QUESTION, VERTIGO, leftovers, template  # noqa: F401 (a fixture)

FREE_BYTES = [0, 4096, 8192, 16384, 32768, 65536, 98304, 131072, 196608, 262144, 393216, 524288, 1 << 20]


MOUNT_TMPFS = ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs"]
# "namespace": take the unprivileged way even as root (to check it); "inside": this is that child run.
SMALL_DISK_WAY = os.environ.get("QA_BOT_TEST_SMALL_DISK", "")
IN_CHILD = "run in a user and mount namespace by test_the_small_disk_tests_pass_in_a_user_namespace"


def _mounts_here() -> bool:
    return os.geteuid() == 0 and SMALL_DISK_WAY != "namespace"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs, unmounted afterwards (root only: others run these tests in a namespace)."""
    if not _mounts_here():
        pytest.skip(IN_CHILD)
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run([*MOUNT_TMPFS, str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here, even as root: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.skipif(_mounts_here() or SMALL_DISK_WAY == "inside", reason="root mounts the tmpfs itself")
def test_the_small_disk_tests_pass_in_a_user_namespace(tmp_path: Path) -> None:
    if shutil.which("unshare") is None:
        pytest.skip("cannot mount a tmpfs: not root, and util-linux's unshare is not installed")
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", *MOUNT_TMPFS, str(tmp_path)],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: not root, and no user namespace here ({probe.stderr.strip()})")
    child = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-m", "pytest", "-q", "-p",
         "no:cacheprovider", f"--basetemp={tmp_path / 'run'}", "-k", "full_disk",
         __file__],
        capture_output=True, text=True, env={**os.environ, "QA_BOT_TEST_SMALL_DISK": "inside"}, timeout=900,
    )
    summary = child.stdout.strip().splitlines()[-1] if child.stdout.strip() else child.stderr
    assert child.returncode == 0 and "skipped" not in summary, child.stdout[-4000:] + child.stderr[-2000:]
    assert re.match(r"3 passed, \d+ deselected", summary), summary  # add, build, the history line


def fill(disk: Path, leave: int) -> Path:
    """Fill `disk` with one file so that only `leave` bytes stay free."""
    stats = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        size = max(0, stats.f_bavail * stats.f_frsize - leave)
        while size > 0:
            try:
                size -= handle.write(b"\0" * min(size, 1 << 20))
            except OSError as err:
                assert err.errno == errno.ENOSPC
                break
    return filler


def state(settings: Settings) -> dict[str, bytes]:
    """Every file of the corpus and the index pointer, byte for byte."""
    files = {p.name: p.read_bytes() for p in settings.corpus_dir.iterdir() if p.is_file()}
    return {**files, "CURRENT": (settings.index_dir / "CURRENT").read_bytes()}


@pytest.fixture
def on_small_disk(small_disk: Path, template: Settings) -> Settings:  # noqa: F811 (the fixture)
    shutil.copytree(template.corpus_dir.parent, small_disk / "state")
    return replace(template, corpus_dir=small_disk / "state" / "corpus", index_dir=small_disk / "state" / "index")


@pytest.mark.parametrize("command", ["add", "build"])
def test_a_full_disk_gives_a_clear_message_changes_nothing_and_the_retry_succeeds(
    command: str, on_small_disk: Settings, embedder: Embedder, bot: QABot, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = on_small_disk
    (tmp_path / "vertigo.md").write_text(VERTIGO)
    args = ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]
    if command == "add":
        args += ["add", str(tmp_path / "vertigo.md"), "--title", "Vertigo", "--source", "https://example.org/v",
                 "--reviewed-by", "Dr. V", "--reviewed-on", "2026-11-02", "--license", "CC0"]
    else:
        args += ["build", "--force"]
        shutil.rmtree(settings.index_dir / "embeddings")  # everything is embedded and cached again
    failures = 0
    for leave in FREE_BYTES:
        before = state(settings)
        filler = fill(settings.corpus_dir.parent.parent, leave)
        code = main(args)
        out, err = capsys.readouterr()
        filler.unlink()
        if code == 0:
            break
        failures += 1
        message = err.strip().split("\n")[-1]  # after the build's progress bar
        assert code == 1 and message.startswith("qa-bot: the disk is full") and "Traceback" not in err, err
        assert message.endswith("nothing was changed. Free some space and run the command again."), err
        assert state(settings) == before, f"{leave} bytes free: something changed"
        assert leftovers(settings) == [], f"{leave} bytes free: temporary files were left"
        assert QABot.load(settings, bot.encoder).ask(QUESTION).status == "answered"
    else:
        raise AssertionError("the command never succeeded")
    assert failures >= 3, f"the disk ran out at only {failures} points"
    print(f"{command}: refused with a full disk at {failures} amounts of free space, then succeeded at {leave} B")
    assert differences(settings, embedder.weights_sha256) == []
    assert len(history(settings.corpus_dir)) == 1 + (command == "add")  # the template's add, and this one
    assert leftovers(settings) == []


def change(doc_id: str) -> Change:
    return Change("2026-12-02T00:00:00+0000", "add", doc_id, "ann", "0" * 64, "T", "Dr. T", "2026-11-01", "v1", "c")


def test_a_history_line_cut_short_by_a_full_disk_is_taken_back(small_disk: Path) -> None:
    record(small_disk, change("first"))
    before = (small_disk / HISTORY_FILE).read_bytes()
    fill(small_disk, 0)
    with pytest.raises(OSError) as raised:
        append_line(small_disk / HISTORY_FILE, json.dumps({"doc_id": "x" * 20_000}))  # fits only in part
    assert raised.value.errno == errno.ENOSPC
    assert (small_disk / HISTORY_FILE).read_bytes() == before
    (small_disk / "filler").unlink()
    record(small_disk, change("second"))
    assert [c.doc_id for c in history(small_disk)] == ["first", "second"]


def test_a_torn_line_is_skipped_with_a_warning_and_never_joins_the_next(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    record(tmp_path, change("first"))
    with open(tmp_path / HISTORY_FILE, "a") as handle:
        handle.write('{"when": "2026-12-02T00:00:01+0000", "action": "add", "doc')  # a crash mid-line
    record(tmp_path, change("second"))
    with caplog.at_level(logging.WARNING):
        assert [c.doc_id for c in history(tmp_path)] == ["first", "second"]
    assert f"{HISTORY_FILE} line 2 is not a whole record" in caplog.text


def test_a_torn_feedback_line_is_skipped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, isolated_env: pytest.MonkeyPatch
) -> None:
    (tmp_path / FEEDBACK_FILE).write_text('{"when": "2026-12-02", "rating": "hel')
    with caplog.at_level(logging.WARNING):
        assert read_feedback(tmp_path) == []
    assert "line 1 is not a whole record" in caplog.text
    isolated_env.setenv("QA_BOT_FEEDBACK", str(tmp_path))
    assert main(["feedback"]) == 0
