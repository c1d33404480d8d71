"""Question embedding with ONNX Runtime and the `tokenizers` package: no torch on the answering path.

One short question costs about 6 ms through sentence-transformers and torch, most of it per-call
overhead, and about 3.5 ms through ONNX Runtime, with the same vectors (cosine 1.0 to torch's on
1,000 eval questions, the same top passage for all of them). `Settings.query_backend` chooses
"onnx" or "torch". Passages are embedded by torch in batches of 16, which was faster than ONNX
Runtime for them (`make bench`, section onnx).

The ONNX file is exported from the verified weights by `qa-bot build` (`onnx_export.py`); its
SHA-256, recorded at export, is checked on every load (`onnx_export.verified_onnx`: hashed again
only when the file is not the one last hashed). When it is missing, the first question
exports it (torch is imported then, once, with a logged warning); when it does not match its hash,
loading stops and says what to run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np

from .config import Settings
from .errors import ModelError
from .model_files import Encoder, ModelFiles, locate_model
from .onnx_export import export_onnx, onnx_path, verified_onnx

logger = logging.getLogger(__name__)

BATCH = 8


class OnnxEncoder:
    """Unit vectors as `Embedder.encode` gives them, from ONNX Runtime."""

    def __init__(self, model: ModelFiles, folder: Path) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError:
            raise ModelError("The 'onnx' backend needs 'onnxruntime' and 'tokenizers'; run `make install`.") from None
        self.name = model.name
        self.weights_sha256 = model.weights_sha256
        self.dimension = model.dimension()
        if not onnx_path(folder, model.weights_sha256).is_file():
            logger.warning("no ONNX export of %s in %s yet: exporting it now (`qa-bot build` does it ahead)",
                           model.name, folder)
            from .embedding import shared_embedder

            export_onnx(shared_embedder(model.name), folder)
        path = verified_onnx(folder, model.weights_sha256)
        options = onnxruntime.SessionOptions()
        # One thread: a MiniLM question costs 3.4 ms of CPU on one thread against 5.0 ms on two for about
        # the same wall time (the second mostly waits; bench/perf_notes.md), and a server's other core is
        # busy with the rest of its requests. More cores: more processes (docs/deployment.md).
        options.intra_op_num_threads = 1
        # Idle ONNX threads must not spin: FAISS and numpy share the same cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        # The model's own fast tokenizer, as transformers runs it: truncated to the model's maximum
        # length, padded to the longest text of a batch.
        self._tokenizer = Tokenizer.from_file(str(model.folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(model.max_tokens())
        pad = self._tokenizer.token_to_id("[PAD]") or 0
        self._tokenizer.enable_padding(pad_id=pad, pad_token=self._tokenizer.id_to_token(pad))

    def encode(self, texts: list[str], running: Callable[[], None] | None = None) -> np.ndarray:
        """`(n, dimension)` float32 unit vectors: token embeddings mean-pooled, then normalised.
        `running`, if given, is called once the texts are tokenised, as the model starts (`batching.submit`).

        Many texts (a busy server's batch of questions) go longest first in batches of `BATCH`.
        """
        if len(texts) <= BATCH:
            return self._encode(texts, running)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batches = [[texts[i] for i in order[start : start + BATCH]] for start in range(0, len(texts), BATCH)]
        vectors = np.concatenate([self._encode(batch, running if i == 0 else None) for i, batch in enumerate(batches)])
        result = np.empty_like(vectors)
        result[order] = vectors
        return result

    def _encode(self, texts: list[str], running: Callable[[], None] | None = None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(texts)
        feed = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }
        if running is not None:
            running()
        hidden = self._session.run(None, feed)[0]  # releases the GIL
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return np.ascontiguousarray(pooled / np.linalg.norm(pooled, axis=1, keepdims=True), dtype=np.float32)


@cache
def shared_onnx_encoder(model: str, folder: Path) -> OnnxEncoder:
    """One ONNX session per model and folder per process."""
    return OnnxEncoder(locate_model(model, weights_loaded=False), folder)


def question_encoder(settings: Settings) -> Encoder:
    """The encoder of questions that `settings.query_backend` names: 'onnx' (ONNX Runtime, no torch)
    or 'torch' (sentence-transformers)."""
    if settings.query_backend == "onnx":
        return shared_onnx_encoder(settings.model, settings.onnx_dir)
    if settings.query_backend == "torch":
        from .embedding import shared_embedder

        return shared_embedder(settings.model)
    raise ModelError(f"Unknown embedding backend {settings.query_backend!r}: use 'onnx' or 'torch'.")
