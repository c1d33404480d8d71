"""Embedding with ONNX Runtime: the same model, exported here from its verified weights.

One short question costs about 6 ms through sentence-transformers and torch, most of it per-call
overhead, and about 3.5 ms through ONNX Runtime, with the same vectors (cosine 1.0 to torch's on
1,000 eval questions, the same top passage for all of them). `Settings.query_backend` chooses
"onnx" or "torch". Passages are embedded by torch in batches of 16, which was faster than ONNX
Runtime for them (`make bench`, section onnx).

The export runs once per model (`torch.onnx.export` of the `Embedder`'s transformer, whose weights
`Embedder` has checked against their SHA-256) into `Settings.onnx_dir`; the exported file's own
SHA-256 is kept beside it and checked on every load. sentence-transformers' ONNX backend would need
`optimum-onnx`, which pins transformers below 4.58; this project runs transformers 5.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import torch

from .embedding import Embedder, file_sha256
from .errors import ModelError

logger = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
BATCH = 8


class _ByName(torch.nn.Module):
    """The transformer called with keyword inputs, returning its token embeddings."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:  # noqa: E501
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]


def export_onnx(embedder: Embedder, folder: Path) -> Path:
    """The ONNX file of `embedder`'s transformer in `folder`, exported once, its SHA-256 checked."""
    path = folder / f"{embedder.weights_sha256.replace(':', '_').replace('/', '_')[:64]}.onnx"
    digest = path.with_suffix(".sha256.json")
    if path.is_file() and digest.is_file():
        if file_sha256(path) != json.loads(digest.read_text())["sha256"]:
            raise ModelError(f"{path} does not match its recorded SHA-256; delete it to export it again.")
        return path
    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}.onnx")
    model = embedder._model
    sample = model.tokenizer(["a sample question"], return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_embeddings")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing; the test compares outputs
        torch.onnx.export(
            _ByName(model[0].auto_model.eval()),
            tuple(sample[name] for name in INPUTS),
            str(tmp),
            input_names=list(INPUTS),
            output_names=["token_embeddings"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    digest.write_text(json.dumps({"sha256": file_sha256(tmp), "weights_sha256": embedder.weights_sha256}))
    os.replace(tmp, path)
    logger.info("exported %s to %s", embedder.name, path)
    return path


class OnnxEncoder:
    """Unit vectors as `Embedder.encode` gives them, from ONNX Runtime."""

    def __init__(self, embedder: Embedder, folder: Path) -> None:
        try:
            import onnxruntime
        except ImportError:
            raise ModelError("The 'onnx' backend needs the package 'onnxruntime'; run `make install`.") from None
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        # Idle ONNX threads must not spin: torch, FAISS and numpy share the same cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        path = export_onnx(embedder, folder)
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = embedder._model.tokenizer
        self._max_tokens = embedder.max_tokens
        self.dimension = embedder.dimension

    def encode(self, texts: list[str]) -> np.ndarray:
        """`(n, dimension)` float32 unit vectors: token embeddings mean-pooled, then normalised.

        Many texts (a busy server's batch of questions) go longest first in batches of `BATCH`.
        """
        if len(texts) <= BATCH:
            return self._encode(texts)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batches = [[texts[i] for i in order[start : start + BATCH]] for start in range(0, len(texts), BATCH)]
        vectors = np.concatenate([self._encode(batch) for batch in batches])
        result = np.empty_like(vectors)
        result[order] = vectors
        return result

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        tokens = self._tokenizer(texts, padding=True, truncation=True, max_length=self._max_tokens, return_tensors="np")
        feed = {name: tokens[name].astype(np.int64) for name in INPUTS}
        hidden = self._session.run(None, feed)[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return np.ascontiguousarray(pooled / np.linalg.norm(pooled, axis=1, keepdims=True), dtype=np.float32)


@cache
def shared_onnx_encoder(embedder: Embedder, folder: Path) -> OnnxEncoder:
    """One ONNX session per embedder and folder per process."""
    return OnnxEncoder(embedder, folder)


def backend_encoder(embedder: Embedder, backend: str, folder: Path) -> Callable[[list[str]], np.ndarray]:
    """The function that embeds questions: `backend` 'onnx' (ONNX Runtime) or 'torch' (`Embedder.encode`)."""
    if backend == "torch":
        return embedder.encode
    if backend == "onnx":
        return shared_onnx_encoder(embedder, folder).encode
    raise ModelError(f"Unknown embedding backend {backend!r}: use 'onnx' or 'torch'.")
