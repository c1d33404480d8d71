"""The ONNX export of the embedding model: made once by `qa-bot build` (with torch), checked on every load.

`torch.onnx.export` of the `Embedder`'s transformer, whose weights `model_files` has checked against
their SHA-256, into `Settings.onnx_dir`; the exported file's own SHA-256 is written beside it and
checked on every load (`verified_onnx`, no torch; by the file's stamp once it has been hashed).
sentence-transformers' ONNX backend would need `optimum-onnx`, which pins transformers below 4.58;
this project runs transformers 5.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from . import durable
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
    """The exported ONNX file, after checking it against the SHA-256 recorded when it was exported.

    The file is hashed again only when it is not the file last found intact: the record keeps that
    file's stamp (size, inode, device, modification and change times in ns; writing or replacing
    the file changes its change time, which no one can set back), so a start reads no 90 MB."""
    path = onnx_path(folder, weights_sha256)
    digest = path.with_suffix(".sha256.json")
    try:
        record = json.loads(digest.read_text())
        recorded = record["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        record, recorded = {}, None
    try:
        stamp = file_stamp(path)
    except OSError:
        stamp = None
    if recorded is None or record.get("weights_sha256", weights_sha256) != weights_sha256:
        intact = False
    elif stamp is not None and record.get("stamp") == stamp:
        intact = True
    else:
        intact = stamp is not None and file_sha256(path) == recorded
        if intact:
            _keep_stamp(digest, {**record, "stamp": stamp})
    if not intact:
        raise ModelError(
            f"{path} does not match its recorded SHA-256; delete it and run `qa-bot build` to export it again."
        )
    return path


def file_stamp(path: Path) -> list[int]:
    """What changes whenever a file's content may have: size, inode, device, mtime and ctime in ns."""
    info = path.stat()
    return [info.st_size, info.st_ino, info.st_dev, info.st_mtime_ns, info.st_ctime_ns]


def _keep_stamp(digest: Path, record: dict) -> None:
    try:
        durable.write_atomic(digest, json.dumps(record).encode())
    except OSError as err:  # a read-only folder: the file is hashed at every start, as before
        logger.info("could not record the checked ONNX file's stamp in %s (%s)", digest, err)


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
