"""Fixed phrasings are embedded once per encoder and read back the same."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from qa_bot.embedding import Embedder
from qa_bot.phrase_vectors import phrase_vectors


class Counting:
    """The real encoder, counting the texts it embeds."""

    def __init__(self, embedder: Embedder) -> None:
        self.name, self.weights_sha256 = embedder.name, embedder.weights_sha256
        self._embedder, self.embedded = embedder, 0

    def encode(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return self._embedder.encode(texts)


def test_phrasings_are_embedded_once_and_read_back_equal(embedder: Embedder, tmp_path: Path) -> None:
    encoder = Counting(embedder)
    texts = ["how is it treated", "is it hereditary"]
    first = phrase_vectors(encoder, texts, tmp_path)
    again = phrase_vectors(encoder, texts, tmp_path)
    assert encoder.embedded == 2 and np.array_equal(first, again) and again.dtype == np.float32
    np.testing.assert_allclose(again, embedder.encode(texts), atol=1e-6)
    changed = phrase_vectors(encoder, [*texts, "will it get worse"], tmp_path)  # other phrasings: embedded
    assert encoder.embedded == 5 and changed.shape == (3, embedder.dimension)


def test_an_unreadable_file_is_embedded_again(embedder: Embedder, tmp_path: Path) -> None:
    encoder = Counting(embedder)
    phrase_vectors(encoder, ["how rare is it"], tmp_path)
    for path in tmp_path.glob("phrasings-*.npy"):
        path.write_bytes(b"broken")
    again = phrase_vectors(encoder, ["how rare is it"], tmp_path)
    np.testing.assert_allclose(again, embedder.encode(["how rare is it"]), atol=1e-6)
    assert encoder.embedded == 2
