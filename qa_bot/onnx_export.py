"""The ONNX export of the embedding model: made once by `qa-bot build` (with torch), checked on every load.

`torch.onnx.export` of the `Embedder`'s transformer, whose weights `model_files` has checked against
their SHA-256, into `Settings.onnx_dir`; the exported file's own SHA-256 is written beside it and
checked on every load (`verified_onnx`, no torch). sentence-transformers' ONNX backend would need
`optimum-onnx`, which pins transformers below 4.58; this project runs transformers 5.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ModelError
from .model_files import file_sha256

if TYPE_CHECKING:
    from .embedding import Embedder

logger = logging.getLogger(__name__)

INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def onnx_path(folder: Path, weights_sha256: str) -> Path:
    """Where the ONNX export of the model with these weights lives."""
    return folder / f"{weights_sha256.replace(':', '_').replace('/', '_')[:64]}.onnx"


def verified_onnx(folder: Path, weights_sha256: str) -> Path:
    """The exported ONNX file, after checking it against the SHA-256 recorded when it was exported."""
    path = onnx_path(folder, weights_sha256)
    digest = path.with_suffix(".sha256.json")
    try:
        recorded = json.loads(digest.read_text())["sha256"]
    except (OSError, ValueError, KeyError):
        recorded = None
    if recorded is None or file_sha256(path) != recorded:
        raise ModelError(
            f"{path} does not match its recorded SHA-256; delete it and run `qa-bot build` to export it again."
        )
    return path


def export_onnx(embedder: Embedder, folder: Path) -> Path:
    """The ONNX file of `embedder`'s transformer in `folder`, exported once, its SHA-256 checked."""
    path = onnx_path(folder, embedder.weights_sha256)
    if path.is_file():
        return verified_onnx(folder, embedder.weights_sha256)
    import torch

    class ByName(torch.nn.Module):
        """The transformer called with keyword inputs, returning its token embeddings."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:  # noqa: E501
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]

    folder.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}.onnx")
    model = embedder._model
    sample = model.tokenizer(["a sample question"], return_tensors="pt")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "token_embeddings")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on tracing; the test compares outputs
        torch.onnx.export(
            ByName(model[0].auto_model.eval()),
            tuple(sample[name] for name in INPUTS),
            str(tmp),
            input_names=list(INPUTS),
            output_names=["token_embeddings"],
            dynamic_axes=axes,
            opset_version=17,
            dynamo=False,
        )
    digest = path.with_suffix(".sha256.json")
    digest.write_text(json.dumps({"sha256": file_sha256(tmp), "weights_sha256": embedder.weights_sha256}))
    os.replace(tmp, path)
    logger.info("exported %s to %s", embedder.name, path)
    return path
