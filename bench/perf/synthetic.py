"""A synthetic index of a million passages, for search cost at scale.

The eval corpus's real passages and vectors are repeated until there are `total` rows; every copy
after the first gets Gaussian noise added to its vector (norm 1.0: cosine about 0.7 to the original,
about 0.5 between copies) and renormalised: a million passages on the corpus's topics, none equal.
The copies' texts and BM25 rows repeat the originals (so BM25's posting lists are 39 times longer
than the eval corpus's: a pessimistic case for lexical search). The HNSW graph is cached under
bench/cache. (With noise norm 0.3, 39 near-identical copies of each passage, recall@10 measures
how HNSW breaks near-ties: 0.85 at efSearch 96, 0.95 at 512.)
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import replace

import faiss
import numpy as np

from qa_bot.index_store import StoredIndex
from qa_bot.indexing import passage_text
from qa_bot.lexical import LexicalIndex, tokenized
from qa_bot.vector_search import build_vector_index, tune_search

from .common import CACHE

logger = logging.getLogger(__name__)
NOISE_NORM = 1.0


def synthetic_vectors(base: np.ndarray, total: int, seed: int = 0) -> np.ndarray:
    """`total` unit vectors: `base`, then noisy copies of it."""
    rng = np.random.default_rng(seed)
    out = np.empty((total, base.shape[1]), dtype=np.float32)
    out[: len(base)] = base[:total]
    scale = NOISE_NORM / math.sqrt(base.shape[1])
    for start in range(len(base), total, len(base)):
        end = min(total, start + len(base))
        block = base[: end - start] + scale * rng.standard_normal((end - start, base.shape[1]), dtype=np.float32)
        out[start:end] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def synthetic_vector_index(vectors: np.ndarray, hnsw_min_passages: int) -> tuple[faiss.Index, float]:
    """The index of `vectors` (cached on disk when HNSW) and the seconds building it took (when first built)."""
    path = CACHE / f"synthetic-{len(vectors)}-noise{NOISE_NORM}-hnsw.faiss"
    took = path.with_suffix(".seconds.json")
    if len(vectors) >= hnsw_min_passages and path.is_file() and took.is_file():
        index = faiss.read_index(str(path))
        if index.ntotal == len(vectors):
            tune_search(index)
            return index, json.loads(took.read_text())
    began = time.perf_counter()
    index = build_vector_index(vectors, hnsw_min_passages)
    seconds = time.perf_counter() - began
    if len(vectors) >= hnsw_min_passages:
        faiss.write_index(index, str(path))
        took.write_text(json.dumps(seconds))
    return index, seconds


def synthetic_lexical(base: StoredIndex, total: int) -> LexicalIndex:
    """BM25 over the base passages' texts repeated to `total` rows."""
    chunks = base.manifest.chunks
    texts = [passage_text(base.documents[c.doc_id], c) for c in chunks]
    tokens = tokenized(texts)
    return LexicalIndex.from_ids((tokens.ids[i % len(texts)] for i in range(total)), tokens.vocab, total)


def synthetic_index(base: StoredIndex, total: int, hnsw_min_passages: int) -> tuple[StoredIndex, dict]:
    """`base` grown to `total` passages, and how long each part took to build."""
    began = time.perf_counter()
    vectors = synthetic_vectors(base.vectors.reconstruct_n(0, base.vectors.ntotal), total)
    index, hnsw_seconds = synthetic_vector_index(vectors, hnsw_min_passages)
    del vectors
    lexical_began = time.perf_counter()
    lexical = synthetic_lexical(base, total)
    lexical_seconds = time.perf_counter() - lexical_began
    chunks = [base.manifest.chunks[i % len(base.manifest.chunks)] for i in range(total)]
    stored = replace(base, manifest=replace(base.manifest, chunks=chunks), vectors=index, lexical=lexical)
    timings = {
        "passages": total,
        "vector_index_build_s": round(hnsw_seconds, 1),
        "bm25_build_s": round(lexical_seconds, 1),
        "total_s": round(time.perf_counter() - began, 1),
    }
    return stored, timings
