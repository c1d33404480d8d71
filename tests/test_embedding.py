"""The real model: offline load, weight verification, unit vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qa_bot.config import DEFAULT_MODEL_SHA256
from qa_bot.embedding import Embedder
from qa_bot.errors import ModelError
from qa_bot.model_files import locate_model, resolve_model, verified_weights


def test_default_model_is_the_official_packaged_weights(embedder: Embedder) -> None:
    location, expected = resolve_model("all-MiniLM-L6-v2")
    assert expected == DEFAULT_MODEL_SHA256 == embedder.weights_sha256
    assert (Path(location) / "model.safetensors").is_file()
    assert (embedder.dimension, embedder.max_tokens) == (384, 256)
    files = locate_model()
    assert (files.dimension(), files.max_tokens(), files.weights_sha256) == (384, 256, DEFAULT_MODEL_SHA256)


def test_vectors_are_unit_length_and_meaningful(embedder: Embedder) -> None:
    vectors = embedder.encode(["cerebellar atrophy", "shrinking of the cerebellum", "renewing a passport"])
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similar, unrelated = vectors[0] @ vectors[1], vectors[0] @ vectors[2]
    assert similar > unrelated + 0.3


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    fake = tmp_path / "model.safetensors"
    fake.write_bytes(b"not the official weights")
    with pytest.raises(ModelError, match="not the official"):
        verified_weights(tmp_path, DEFAULT_MODEL_SHA256)


def test_a_model_that_is_not_on_disk_fails_without_downloading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError, match="local files"):
        Embedder("no-such-org/no-such-model-qa-bot-test")
