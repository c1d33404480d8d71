"""Vectors of fixed phrasings (the ranker's kinds of health information), embedded once per model.

The ranker compares every question with about 20 reviewed phrasings (`aspects.ASPECTS`,
`ASKED_ALSO`); embedding them took about 0.09 s of every start. Their vectors are kept beside the
ONNX export (`Settings.onnx_dir`), in a `.npy` file named after the encoder, its weights and the
phrasings themselves, so a changed phrasing or model is embedded afresh. An unreadable or
unwritable file only means embedding them at each start, as before.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from pathlib import Path

import numpy as np

from . import durable
from .model_files import Encoder

logger = logging.getLogger(__name__)


def phrase_vectors(encoder: Encoder, texts: list[str], folder: Path) -> np.ndarray:
    """`encoder.encode(texts)`, read from `folder` when this encoder embedded these texts before."""
    key = hashlib.sha256(json.dumps([type(encoder).__name__, encoder.weights_sha256, texts]).encode()).hexdigest()
    path = folder / f"phrasings-{key[:40]}.npy"
    try:
        vectors = np.load(path, allow_pickle=False)
        if vectors.dtype == np.float32 and vectors.ndim == 2 and len(vectors) == len(texts):
            return vectors
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as err:
        logger.warning("phrasing vectors %s are unreadable (%s); embedding them again", path, err)
    vectors = np.ascontiguousarray(encoder.encode(texts), dtype=np.float32)
    buffer = io.BytesIO()
    np.save(buffer, vectors, allow_pickle=False)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        durable.write_atomic(path, buffer.getvalue())
    except OSError as err:
        logger.info("phrasing vectors not kept in %s (%s)", path, err)
    return vectors
