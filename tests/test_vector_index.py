"""The vector index: exact below the size threshold, HNSW above it, with recall@10 against exact search."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from qa_bot.config import Settings
from qa_bot.index_store import vector_index
from qa_bot.vector_search import UNSCORED, DenseSearch, build_vector_index, is_approximate, top_rows


def unit_vectors(count: int, dimension: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return unit_vectors(6000, 32, seed=0), unit_vectors(100, 32, seed=1)


def test_threshold_switches_exact_to_hnsw(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, _ = data
    assert type(build_vector_index(vectors, hnsw_min_passages=6001)) is faiss.IndexFlatIP
    hnsw = build_vector_index(vectors, hnsw_min_passages=6000)
    assert type(hnsw) is faiss.IndexHNSWFlat and is_approximate(hnsw)
    assert hnsw.metric_type == faiss.METRIC_INNER_PRODUCT and hnsw.ntotal == 6000


def test_default_threshold_keeps_small_corpora_exact() -> None:
    assert Settings().hnsw_min_passages >= 10_000
    assert not is_approximate(vector_index(unit_vectors(500, 16, seed=2)))


def test_hnsw_recall_at_10_against_exact(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    _, truth = vector_index(vectors, hnsw_min_passages=len(vectors) + 1).search(queries, 10)
    _, found = vector_index(vectors, hnsw_min_passages=1).search(queries, 10)
    assert recall_at(found, truth) >= 0.95


def test_hnsw_survives_write_and_read(tmp_path, data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    index = build_vector_index(vectors, hnsw_min_passages=1)
    faiss.write_index(index, str(tmp_path / "vectors.faiss"))
    loaded = faiss.read_index(str(tmp_path / "vectors.faiss"))
    assert is_approximate(loaded)
    assert faiss.downcast_index(loaded).hnsw.efSearch == faiss.downcast_index(index).hnsw.efSearch
    np.testing.assert_array_equal(loaded.search(queries, 10)[1], index.search(queries, 10)[1])


def test_dense_search_exact_matches_numpy(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    search = DenseSearch(vector_index(vectors, hnsw_min_passages=len(vectors) + 1))
    scores, top = search.search(queries[0], 50, np.array([], dtype=np.int64))
    expected = vectors @ queries[0]
    np.testing.assert_allclose(scores, expected, atol=1e-5)
    np.testing.assert_array_equal(top, top_rows(expected, 50))


def test_dense_search_hnsw_scores_found_and_extra_rows_exactly(data: tuple[np.ndarray, np.ndarray]) -> None:
    vectors, queries = data
    search = DenseSearch(vector_index(vectors, hnsw_min_passages=1))
    exact = vectors @ queries[3]
    extra = np.array([5, 17, 4000], dtype=np.int64)
    scores, top = search.search(queries[3], 50, extra)
    assert len(top) == 50 and np.all(np.diff(scores[top]) <= 0)
    scored = np.flatnonzero(scores > UNSCORED)
    assert set(extra) | set(top) == set(scored)
    np.testing.assert_allclose(scores[scored], exact[scored], atol=1e-5)
    assert len(set(top[:10]) & set(top_rows(exact, 10))) >= 9


def test_large_indexes_search_wider(monkeypatch: pytest.MonkeyPatch, data: tuple[np.ndarray, np.ndarray]) -> None:
    import qa_bot.vector_search as vector_search

    vectors, _ = data
    index = build_vector_index(vectors, hnsw_min_passages=1)
    assert faiss.downcast_index(index).hnsw.efSearch == vector_search.HNSW_EF_SEARCH
    monkeypatch.setattr(vector_search, "HNSW_LARGE", len(vectors))
    DenseSearch(index)
    assert faiss.downcast_index(index).hnsw.efSearch == vector_search.HNSW_EF_SEARCH_LARGE
