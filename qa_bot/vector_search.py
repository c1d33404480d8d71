"""Dense search over an index's unit vectors: exact below a size threshold, FAISS HNSW above it.

Inner product of unit vectors is their cosine similarity, so both kinds of index score a passage
by cosine. Small indexes are searched exactly (every row scored); from `Settings.hnsw_min_passages`
rows on, the index is a `faiss.IndexHNSWFlat` graph whose search cost hardly grows with the corpus,
at a measured recall@10 of about 0.99 against exact search (`make bench`, tests/test_vector_index.py).
"""

from __future__ import annotations

import faiss
import numpy as np

# HNSW graph: neighbours per node, candidate-list size while building and while searching.
# Measured on the eval corpus and 1M synthetic vectors (bench/results/perf.md).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 96  # recall@10 0.965 on the 25.6k eval passages
# From HNSW_LARGE rows on, a wider search keeps recall@10 at 0.95 or more (0.931 at 96, 0.964 at 192
# on 1M synthetic passages, 0.9 ms a search).
HNSW_LARGE = 200_000
HNSW_EF_SEARCH_LARGE = 192
# Score given to rows a search did not look at: below any cosine, so they never rank.
UNSCORED = -2.0


def build_vector_index(vectors: np.ndarray, hnsw_min_passages: int) -> faiss.Index:
    """`IndexFlatIP` (exact) for fewer than `hnsw_min_passages` rows, `IndexHNSWFlat` otherwise."""
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) < hnsw_min_passages:
        index: faiss.Index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    index.add(vectors)
    tune_search(index)
    return index


def tune_search(index: faiss.Index) -> None:
    """Set an HNSW index's search width for its size (no-op for an exact index)."""
    if is_approximate(index):
        wide = index.ntotal >= HNSW_LARGE
        faiss.downcast_index(index).hnsw.efSearch = HNSW_EF_SEARCH_LARGE if wide else HNSW_EF_SEARCH


def is_approximate(index: faiss.Index) -> bool:
    """True for an HNSW index (approximate search), False for an exact flat one."""
    return isinstance(faiss.downcast_index(index), faiss.IndexHNSW)


def stored_vectors(index: faiss.Index) -> np.ndarray:
    """The index's `(ntotal, d)` float32 vectors as a read-only view of its own storage (no copy:
    memory-mapped from the index file when it was read so; keep `index` alive while using it).
    The view may be unaligned, which numpy's matrix products answer by copying it whole: score it
    with `inner_products`."""
    flat = faiss.downcast_index(index.storage if is_approximate(index) else index)
    if flat.ntotal == 0:
        return np.zeros((0, flat.d), dtype=np.float32)
    view = faiss.rev_swig_ptr(flat.get_xb(), flat.ntotal * flat.d).reshape(flat.ntotal, flat.d)
    view.flags.writeable = False
    return view


def inner_products(matrix: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """`(len(matrix), len(queries))` float32: every row's inner product with each query (one query: 1-D).

    FAISS's single-threaded SIMD kernel, reading `matrix` in place however it is aligned: numpy's
    product would copy an unaligned memory map, and OpenBLAS's threads only contend under load.
    """
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    rows = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
    found = np.empty((len(rows), len(matrix)), dtype=np.float32)
    if len(matrix):
        for query, out in zip(rows, found, strict=True):
            faiss.fvec_inner_products_ny(faiss.swig_ptr(out), faiss.swig_ptr(query), faiss.swig_ptr(matrix),
                                         matrix.shape[1], len(matrix))
    return found[0] if np.ndim(queries) == 1 else found.T


def top_rows(scores: np.ndarray, count: int) -> np.ndarray:
    """Rows of the `count` highest scores, best first (ties: lowest row)."""
    rows = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.arange(len(scores))
    return rows[np.lexsort((rows, -scores[rows]))].astype(np.int64)


class DenseSearch:
    """Cosine scores of a query against one loaded index, exact or HNSW."""

    def __init__(self, index: faiss.Index) -> None:
        self._owner = index  # the downcast view below does not keep the C++ index alive by itself
        self._index = faiss.downcast_index(index)
        self.approximate = is_approximate(index)
        tune_search(index)
        # Exact search scores every row with one single-threaded kernel (FAISS's own thread pool,
        # left spinning, slowed the next embedding), in place: no copy of the vectors.
        self._matrix = None if self.approximate else stored_vectors(index)

    def search(self, query_vector: np.ndarray, count: int, extra_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """`(scores, top)`: a score per index row, and the `count` best rows, best first.

        Exact search scores every row. HNSW scores the rows it found and `extra_rows` (exactly, from
        the stored vectors); every other row gets `UNSCORED`.
        """
        if self._matrix is not None:
            scores = inner_products(self._matrix, query_vector)
            return scores, top_rows(scores, count)
        scores = np.full(self._index.ntotal, UNSCORED, dtype=np.float32)
        found_scores, found = self._index.search(query_vector[None, :].astype(np.float32, copy=False), count)
        keep = found[0] >= 0
        found, found_scores = found[0][keep], found_scores[0][keep]
        scores[found] = found_scores
        extra = np.asarray(extra_rows, dtype=np.int64)
        if len(extra):
            scores[extra] = self._index.reconstruct_batch(extra) @ query_vector
        top = found[np.lexsort((found, -found_scores))].astype(np.int64)
        return scores, top
