"""Passage vectors cached by content and model, so rebuilding only embeds what is new."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

import numpy as np

from . import durable
from .embedding import Embedder

logger = logging.getLogger(__name__)


def text_key(text: str) -> str:
    """The cache key of one embedded text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A `cache.npz` (keys and vectors) in a folder named after the model's weights hash."""

    def __init__(self, root: Path, embedder: Embedder):
        self.embedder = embedder
        self.path = root / f"{embedder.weights_sha256.replace(':', '_').replace('/', '_')[:80]}.npz"
        self._rows: dict[str, int] = {}
        self._vectors = np.zeros((0, embedder.dimension), dtype=np.float32)
        try:
            with np.load(self.path, allow_pickle=False) as data:
                self._vectors = data["vectors"]
                self._rows = {str(key): row for row, key in enumerate(data["keys"])}
        except FileNotFoundError:
            pass
        except (OSError, ValueError, KeyError) as err:  # a cache is rebuilt, never a reason to stop
            logger.warning("embedding cache %s is unreadable (%s); starting it afresh", self.path, err)

    def embed(self, texts: list[str], show_progress: bool = False) -> np.ndarray:
        """Vectors for `texts`, encoding only those not cached; new vectors are saved at once."""
        keys = [text_key(t) for t in texts]
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in self._rows}
        logger.info("embedding %d new of %d passages", len(missing), len(texts))
        if missing:
            texts_to_embed = list(missing.values())
            fresh = self.embedder.encode(texts_to_embed, show_progress=show_progress)
            start = len(self._vectors)
            self._vectors = np.concatenate([self._vectors, fresh])
            self._rows.update({key: start + i for i, key in enumerate(missing)})
            self._save()
        return self._vectors[[self._rows[key] for key in keys]] if keys else self._vectors[:0]

    def add(self, keys: list[str], vectors: np.ndarray) -> int:
        """Take vectors computed elsewhere for this model (`prebuilt`), keyed by `text_key`; returns
        how many were new."""
        fresh = [i for i, key in enumerate(keys) if key not in self._rows]
        if fresh and vectors.shape[1] == self._vectors.shape[1]:
            start = len(self._vectors)
            self._vectors = np.concatenate([self._vectors, vectors[fresh]])
            self._rows.update({keys[i]: start + n for n, i in enumerate(fresh)})
            self._save()
            return len(fresh)
        return 0

    def _save(self) -> None:
        """Write atomically: a crash leaves the previous cache file intact."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".tmp{os.getpid()}.npz")
        try:
            durable.crash_point()
            np.savez(tmp, keys=np.array(list(self._rows), dtype="U64"), vectors=self._vectors)
            durable.fsync(tmp)
            durable.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
