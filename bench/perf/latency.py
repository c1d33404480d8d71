"""Where one question's time goes: embed, lexical search, vector search, ranking, answer building,
against sentence-transformers embedding the same question alone."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from qa_bot.answer import build_answer
from qa_bot.bot import QABot
from qa_bot.config import Settings
from qa_bot.embedding import Embedder
from qa_bot.index_store import StoredIndex
from qa_bot.onnx_encoder import question_encoder
from qa_bot.ranking import Ranker
from qa_bot.retrieval import Retriever
from qa_bot.vector_search import DenseSearch, is_approximate

from .common import median, ratio

STAGES = ("embed", "lexical", "vector", "candidates", "ranking", "answer")


def _stage_times(
    question: str, encode: Callable[[list[str]], np.ndarray], retriever: Retriever, dense: DenseSearch,
    settings: Settings,
) -> dict[str, float]:
    """Seconds per stage for one question, each stage run as `Retriever` runs it."""
    stored = retriever.stored
    t0 = time.perf_counter()
    vector = encode([question])[0]
    t1 = time.perf_counter()
    lexical_ids, _ = stored.lexical.top(question, settings.candidates)
    t2 = time.perf_counter()
    dense.search(vector, settings.candidates, lexical_ids)
    t3 = time.perf_counter()
    found = retriever.gather(question, vector)  # lexical + vector again, then the union of candidates
    t4 = time.perf_counter()
    passages = [retriever.passage(s) for s in retriever.ranker.rank(question, vector, found, settings.max_quotes)]
    t5 = time.perf_counter()
    build_answer(question, passages, stored.documents, settings.min_relevance, settings.max_quotes)
    t6 = time.perf_counter()
    return {
        "embed": t1 - t0,
        "lexical": t2 - t1,
        "vector": t3 - t2,
        "candidates": max(0.0, (t4 - t3) - (t2 - t1) - (t3 - t2)),
        "ranking": t5 - t4,
        "answer": t6 - t5,
    }


def latency_breakdown(
    stored: StoredIndex, embedder: Embedder, settings: Settings, questions: list[str], repeats: int = 3
) -> dict:
    """Median milliseconds of `ask` and of each stage, each also as a ratio to the bare embedding.

    Bare embedding, `ask` and the stages are interleaved question by question, so a busy moment on
    the machine weighs on all of them alike.
    """
    encoder = question_encoder(settings)
    bot = QABot(settings, encoder, stored)
    retriever = Retriever(stored, settings.candidates, Ranker(stored, encoder, settings))
    dense = DenseSearch(stored.vectors)
    encode = encoder.encode
    model = embedder._model  # the bare sentence-transformers model, as a user of it would call it

    import torch

    threads = torch.get_num_threads()

    def bare(question: str, pool: int) -> float:
        torch.set_num_threads(pool)
        try:
            began = time.perf_counter()
            model.encode([question], normalize_embeddings=True, convert_to_numpy=True)
            return time.perf_counter() - began
        finally:
            torch.set_num_threads(threads)

    for question in questions[:5]:  # warm-up
        bare(question, threads)
        bare(question, 1)
        bot.ask(question)
    bare_s: dict[int, list[float]] = {threads: [], 1: []}
    ask_s: list[float] = []
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    for _ in range(repeats):
        for question in questions:
            for pool, found in bare_s.items():
                found.append(bare(question, pool))
            began = time.perf_counter()
            bot.ask(question)
            ask_s.append(time.perf_counter() - began)
            for stage, seconds in _stage_times(question, encode, retriever, dense, settings).items():
                stages[stage].append(seconds)
    # The bare embedding is the faster of torch's own thread pool and one thread. On a busy machine
    # a pool of threads waits at every operation for a thread the scheduler has put aside: one round
    # measured 433 ms for the bare embedding (12 ms in the rounds before) while a test suite started
    # beside it, and the ratio read 0.055. One thread is not slowed so; on a quiet machine the pool is
    # the faster. `bare_embed_p50_ms_by_threads` reports both.
    by_threads = {pool: median(found) * 1e3 for pool, found in bare_s.items()}
    bare_ms = min(by_threads.values())
    ask_ms = median(ask_s) * 1e3
    return {
        "passages": len(stored.manifest.chunks),
        "vector_index": "hnsw" if is_approximate(stored.vectors) else "exact",
        "query_backend": settings.query_backend,
        "questions": len(questions),
        "repeats": repeats,
        "bare_embed_p50_ms": round(bare_ms, 3),
        "bare_embed_p50_ms_by_threads": {str(pool): round(ms, 3) for pool, ms in by_threads.items()},
        "ask_p50_ms": round(ask_ms, 3),
        "ask_p95_ms": round(float(np.percentile(ask_s, 95)) * 1e3, 3),
        "ask_ratio_p50": ratio(ask_ms, bare_ms),
        "stages_p50_ms": {s: round(median(v) * 1e3, 3) for s, v in stages.items()},
        "stages_ratio_p50": {s: ratio(median(v) * 1e3, bare_ms) for s, v in stages.items()},
    }


def recall_at_10(stored: StoredIndex, hnsw: StoredIndex, query_vectors: np.ndarray) -> float:
    """Share of the exact top 10 that HNSW also returns, over `query_vectors`."""
    _, truth = stored.vectors.search(query_vectors, 10)
    _, found = hnsw.vectors.search(query_vectors, 10)
    return round(float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])), 4)
