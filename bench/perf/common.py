"""Shared pieces of the performance benchmark: data, timing, the machine, loaded indexes."""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np

from qa_bot.config import PROJECT_ROOT, Settings
from qa_bot.embedding import Embedder
from qa_bot.index_store import StoredIndex
from qa_bot.vector_search import build_vector_index
from qa_eval.data import cached_index, load_documents, load_questions

BENCH = PROJECT_ROOT / "bench"
CACHE = BENCH / "cache"
RESULTS = BENCH / "results"
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"
EVAL_DOCS = EVAL_DIR / "docs.jsonl"
EVAL_QUESTIONS = EVAL_DIR / "questions_dev.jsonl"
SEED_QUESTIONS = BENCH / "seed_questions.jsonl"


SEED_ID = "cerebellar-volume-loss"  # corpus/cerebellar-volume-loss.md, the seed document

def median(values: list[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    """The `q`-th percentile (0-100) of `values`."""
    return float(np.percentile(values, q)) if values else float("nan")


def timed(function: Callable[[], object]) -> float:
    """Seconds one call of `function` takes."""
    began = time.perf_counter()
    function()
    return time.perf_counter() - began


def ratio(value: float, baseline: float) -> float:
    """`value / baseline`, rounded for the report."""
    return round(value / baseline, 3) if baseline else float("nan")


def machine() -> dict:
    """What ran the benchmark."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import faiss
    import sentence_transformers
    import torch

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "sentence_transformers": sentence_transformers.__version__,
        "faiss": faiss.__version__,
        "load_average_at_start": os.getloadavg(),
    }


def rss_mib(pid: int | None = None) -> float:
    """Resident memory of a process (this one by default) in MiB."""
    status = Path(f"/proc/{pid or os.getpid()}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return kib / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def seed_questions(limit: int = 40) -> list[str]:
    """Patient-worded questions about the seed corpus (answerable and not)."""
    return [q.text for q in load_questions(SEED_QUESTIONS)][:limit]


def eval_questions(count: int, seed: int = 7) -> list[str]:
    """A fixed random sample of the eval development questions."""
    questions = [q.text for q in load_questions(EVAL_QUESTIONS)]
    return random.Random(seed).sample(questions, min(count, len(questions)))


def eval_index(embedder: Embedder, settings: Settings) -> StoredIndex:
    """The eval corpus index, built once under bench/cache (sharing issue 3's embedding cache)."""
    return cached_index(load_documents(EVAL_DOCS), CACHE, embedder, settings)


def seed_index(embedder: Embedder, settings: Settings) -> StoredIndex:
    """The seed document's index alone (the shipped corpus also holds the NIH library since issue 16; the
    seed figures, and the seed server that memory per 100k passages is measured from, are of one
    document, as before), built once under bench/cache."""
    from qa_bot.documents import load_corpus

    corpus = load_corpus(PROJECT_ROOT / "corpus")
    return cached_index({SEED_ID: corpus[SEED_ID]}, CACHE, embedder, settings)


def with_vector_index(stored: StoredIndex, hnsw_min_passages: int) -> StoredIndex:
    """`stored` with its vectors re-indexed exactly or by HNSW, per the threshold."""
    vectors = stored.vectors.reconstruct_n(0, stored.vectors.ntotal)
    return replace(stored, vectors=build_vector_index(vectors, hnsw_min_passages))
