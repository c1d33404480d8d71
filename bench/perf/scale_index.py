"""The synthetic million-passage index written as a real index version, so a server reads it as it reads any.

`synthetic.synthetic_index` grows the eval corpus to a million rows in memory; this writes those
rows with `index_store.write_version` (HNSW graph, BM25 arrays, manifest) once under bench/cache,
and reuses it while the eval index is the same. The documents are the eval corpus's own (the
copies' chunks point at the same texts), so a server over it holds what a million-passage corpus
needs besides the texts of the extra documents.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from qa_bot.config import Settings
from qa_bot.index_store import StoredIndex, current_version, read_manifest, write_version

from .common import CACHE
from .synthetic import synthetic_lexical, synthetic_vectors

logger = logging.getLogger(__name__)


def scale_index_dir(base: StoredIndex, total: int, settings: Settings) -> Path:
    """The folder of a `total`-passage index version grown from `base`, written the first time."""
    folder = CACHE / f"synthetic-{total}-from-{base.version}"
    if current_version(folder) is not None:
        _, manifest, _ = read_manifest(folder)
        if len(manifest.chunks) == total:
            return folder
    logger.info("writing a %d-passage index version into %s (HNSW build: minutes)", total, folder)
    vectors = synthetic_vectors(base.vectors.reconstruct_n(0, base.vectors.ntotal), total)
    chunks = [base.manifest.chunks[i % len(base.manifest.chunks)] for i in range(total)]
    manifest = replace(base.manifest, chunks=chunks)
    write_version(folder, manifest, base.documents, vectors, synthetic_lexical(base, total), base.title_vectors,
                  settings.hnsw_min_passages)
    return folder

