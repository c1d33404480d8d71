"""Passage vectors shipped beside the corpus (`prebuilt/`), so that a fresh install builds its index
without embedding the whole library on a small machine.

They are used only when their manifest names the model weights (SHA-256), the corpus fingerprint
and the chunking of the build at hand; otherwise they are ignored and everything is embedded, as
without them. Written by `tools/write_prebuilt.py` after the corpus changes.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
VECTORS = "vectors.npz"


def matching_vectors(
    folder: Path, weights_sha256: str, fingerprint: str, chunking: dict[str, int]
) -> tuple[list[str], np.ndarray] | None:
    """The shipped cache keys and vectors when they were made for exactly this model, corpus and
    chunking; None (and the reason logged) when absent or made for anything else."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    wanted = {"weights_sha256": weights_sha256, "corpus_fingerprint": fingerprint, "chunking": chunking}
    differing = [name for name, value in wanted.items() if manifest.get(name) != value]
    if differing:
        logger.info("prebuilt vectors in %s not used: other %s; embedding instead", folder, ", ".join(differing))
        return None
    try:
        with np.load(folder / VECTORS, allow_pickle=False) as data:
            keys, vectors = [str(k) for k in data["keys"]], data["vectors"].astype(np.float32)
    except (OSError, ValueError, KeyError) as err:
        logger.warning("prebuilt vectors in %s unreadable (%s); embedding instead", folder, err)
        return None
    if vectors.ndim != 2 or len(keys) != len(vectors):
        logger.warning("prebuilt vectors in %s have %d keys for shape %s; embedding instead",
                       folder, len(keys), vectors.shape)
        return None
    return keys, vectors


def write_prebuilt(folder: Path, keys: list[str], vectors: np.ndarray, manifest: dict) -> None:
    """Write the vectors and then their manifest, each atomically (a crash leaves an unusable pair
    at worst, which `matching_vectors` ignores)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)  # never a new manifest over old vectors, nor the reverse
    tmp = folder / f".tmp{os.getpid()}.npz"
    np.savez(tmp, keys=np.array(keys, dtype="U64"), vectors=vectors.astype(np.float32))
    os.replace(tmp, folder / VECTORS)
    text = json.dumps({**manifest, "vectors": len(keys)}, indent=1) + "\n"
    (folder / f".tmp{os.getpid()}.json").write_text(text, encoding="utf-8")
    os.replace(folder / f".tmp{os.getpid()}.json", folder / MANIFEST)
