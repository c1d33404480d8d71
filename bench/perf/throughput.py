"""Lean serving (issue 18): resident memory per 100k passages, and throughput at 32 clients against the
embedding-only ceiling, for this checkout and, optionally, an earlier revision, in one run.

Memory: a benchmark server (bench/perf/serve.py: the app's API, /metrics and its middleware) over the
seed, the eval and, when it has been written, the synthetic million-passage index, after a warm-up:
its resident set (VmRSS: the pages it touches, memory-mapped files included) and its anonymous
memory (what no other process can share). Per 100k passages = (index - seed) / (passages - 11).

Throughput: `wrk` with 32 connections posting eval questions to /api/ask, against the embedding-only
ceiling measured in between on the same cores: one one-thread ONNX session per core side by side,
each question alone, no HTTP. Rounds alternate the two so a busy moment weighs on both.
"""

from __future__ import annotations

import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from qa_bot.config import PROJECT_ROOT

from .common import median

ROUNDS = 3
SECONDS = 10
CONNECTIONS = 32


def memory_mib(pid: int) -> dict[str, float]:
    """Resident and anonymous memory of process `pid`, in MiB."""
    found = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        found[key.strip()] = int(value.split()[0]) / 1024
    return {"rss_mib": round(found["Rss"], 1), "anonymous_mib": round(found["Anonymous"], 1)}


def server_memory(indexes: dict[str, tuple[Path, int]], questions: list[str], tree: Path = PROJECT_ROOT) -> dict:
    """Memory of a benchmark server over each index (name: (folder, passages)), and per 100k passages."""
    from .load import app_server, wrk

    found: dict = {}
    for name, (folder, passages) in indexes.items():
        with app_server(folder, 8121, 16, tree=tree) as pid:
            wrk(8121, 4, 3, questions)
            found[name] = {"passages": passages, **memory_mib(pid)}
    seed = found["seed"]
    for name, row in found.items():
        if name != "seed":
            extra = 1e5 / (row["passages"] - seed["passages"])
            row["rss_mib_per_100k"] = round((row["rss_mib"] - seed["rss_mib"]) * extra, 1)
            row["anonymous_mib_per_100k"] = round((row["anonymous_mib"] - seed["anonymous_mib"]) * extra, 1)
    return found


def embedding_ceiling(encoders: list, questions: list[str]) -> float:
    """Questions per second that one-thread sessions side by side embed, one question per call."""
    from .onnx_probe import _side_by_side

    began = time.perf_counter()
    _side_by_side(encoders, questions, 1)
    return len(questions) / (time.perf_counter() - began)


def throughput(eval_dir: Path, questions: list[str], encoders: list, trees: dict[str, Path]) -> dict:
    """Requests per second at 32 clients for each checkout in `trees`, over the ceiling, in alternating rounds."""
    from .common import cpu_seconds
    from .load import app_server, wrk

    rounds: dict[str, list[dict]] = {label: [] for label in trees}
    embedding_ceiling(encoders, questions[:64])  # warm every session
    for _ in range(ROUNDS):
        for label, tree in trees.items():
            with app_server(eval_dir, 8122, 16, tree=tree) as pid:
                wrk(8122, 8, 2, questions)
                ceiling = embedding_ceiling(encoders, questions * 2)
                cpu = cpu_seconds(pid)
                run = wrk(8122, CONNECTIONS, SECONDS, questions)
                run["server_cpu_ms_per_request"] = round((cpu_seconds(pid) - cpu) / max(1, run["requests"]) * 1e3, 3)
                run["embedding_ceiling_per_s"] = round(ceiling, 1)
                run["ratio_to_ceiling"] = round(run["requests_per_s"] / ceiling, 3)
                rounds[label].append(run)
    return {
        label: {
            "ratio_to_ceiling_median": median([r["ratio_to_ceiling"] for r in runs]),
            "ratio_to_ceiling_all": [r["ratio_to_ceiling"] for r in runs],
            "requests_per_s_median": median([r["requests_per_s"] for r in runs]),
            "p99_ms_median": median([r["p99_ms"] for r in runs]),
            "errors": sum(r["errors"] for r in runs),
            "rounds": runs,
        }
        for label, runs in rounds.items()
    }


@contextmanager
def checkout(revision: str):  # noqa: ANN201 - a context manager yielding a Path
    """A detached worktree of `revision` beside this checkout, sharing its caches and serve.py harness."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="qa-bot-before-") as scratch:
        tree = Path(scratch) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), revision], cwd=PROJECT_ROOT, check=True)
        try:
            (tree / ".cache").symlink_to((PROJECT_ROOT / ".cache").resolve(), target_is_directory=True)
            shutil.rmtree(tree / "bench" / "cache", ignore_errors=True)
            cache = (PROJECT_ROOT / "bench" / "cache").resolve()
            (tree / "bench" / "cache").symlink_to(cache, target_is_directory=True)
            shutil.copy(PROJECT_ROOT / "bench" / "perf" / "serve.py", tree / "bench" / "perf" / "serve.py")
            yield tree
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=PROJECT_ROOT, check=False)
