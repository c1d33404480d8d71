"""Passage embeddings with sentence-transformers (torch), loaded from local, verified files only."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import cache

import numpy as np

from .config import DEFAULT_MODEL
from .errors import ModelError
from .model_files import locate_model

logger = logging.getLogger(__name__)

class Embedder:
    """Turns texts into L2-normalised float32 vectors, so inner product equals cosine similarity."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        files = locate_model(model)
        location = files.location
        self.name = model
        self.weights_sha256 = files.weights_sha256
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        # `count_tokens` measures whole documents on purpose; the "longer than the maximum" warning it
        # would print to maintainers is noise (passages are cut to `max_tokens` before embedding)
        transformers_logging.set_verbosity_error()
        try:
            self._model = SentenceTransformer(str(location), device="cpu", local_files_only=True)
        except OSError as err:
            raise ModelError(
                f"Could not load the model {model!r} from local files ({err}). "
                "Give a path to a sentence-transformers model folder, or install it first."
            ) from None
        self.dimension = int(self._model.get_embedding_dimension())
        self.max_tokens = int(self._model.max_seq_length)
        logger.info("loaded model %s (%d dimensions)", model, self.dimension)

    @property
    def additive_tokens(self) -> bool:
        """True when no token spans whitespace (BERT's pre-tokenizer splits there and at punctuation),
        so texts joined by whitespace count the sum of their tokens (`chunk_document(additive=...)`)."""
        backend = getattr(self._model.tokenizer, "backend_tokenizer", None)
        return type(getattr(backend, "pre_tokenizer", None)).__name__ == "BertPreTokenizer"

    def count_tokens(self, text: str) -> int:
        """Number of word-piece tokens the model sees for `text`, special tokens included."""
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def encode(self, texts: list[str], show_progress: bool = False, batch_size: int = 16,
               running: Callable[[], None] | None = None) -> np.ndarray:
        """Embed `texts` into an `(n, dimension)` float32 array of unit vectors; `running`, if given, is
        called as the model starts (`batching.submit`).

        sentence-transformers sorts texts by length, then pads each batch to its longest text: on 2
        cores, 261 eval passages took 3.78 s in batches of 16, 4.31 s in 32 (its default) and 4.89 s in
        48 (bench/perf_notes.md).
        """
        if running is not None:
            running()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def shared_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """One `Embedder` per model per process: loading costs seconds, encoding is thread-safe."""
    return _loaded(model)


@cache
def _loaded(model: str) -> Embedder:
    return Embedder(model)
