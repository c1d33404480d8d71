"""ONNX Runtime question embedding: the same vectors as torch, a checked export, a clear error."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa_bot.embedding import Embedder
from qa_bot.errors import ModelError
from qa_bot.onnx_encoder import OnnxEncoder, backend_encoder, export_onnx

QUESTIONS = ["What is cerebellar atrophy?", "Can my children inherit it from me?", "balance problems", "x"]


def test_onnx_vectors_equal_torch_vectors(embedder: Embedder, tmp_path) -> None:
    encoder = OnnxEncoder(embedder, tmp_path)
    np.testing.assert_allclose(encoder.encode(QUESTIONS), embedder.encode(QUESTIONS), atol=1e-4)
    np.testing.assert_allclose(encoder.encode(QUESTIONS[:1])[0], embedder.encode(QUESTIONS[:1])[0], atol=1e-4)
    assert encoder.encode([]).shape == (0, embedder.dimension)


def test_export_is_reused_and_a_changed_file_is_refused(embedder: Embedder, tmp_path) -> None:
    path = export_onnx(embedder, tmp_path)
    recorded = json.loads(path.with_suffix(".sha256.json").read_text())
    assert recorded["weights_sha256"] == embedder.weights_sha256
    assert export_onnx(embedder, tmp_path) == path
    with path.open("ab") as handle:
        handle.write(b"tampered")
    with pytest.raises(ModelError, match="SHA-256"):
        export_onnx(embedder, tmp_path)


def test_backend_choice(embedder: Embedder, tmp_path) -> None:
    assert backend_encoder(embedder, "torch", tmp_path) == embedder.encode
    with pytest.raises(ModelError, match="Unknown embedding backend"):
        backend_encoder(embedder, "tensorflow", tmp_path)


def test_many_texts_are_sorted_into_small_batches_and_returned_in_order(embedder: Embedder, tmp_path) -> None:
    texts = [("word " * n).strip() + f" {n}" for n in (3, 40, 1, 17, 5, 60, 2, 9, 33, 4, 21, 7)]
    np.testing.assert_allclose(OnnxEncoder(embedder, tmp_path).encode(texts), embedder.encode(texts), atol=1e-4)
