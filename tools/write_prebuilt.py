"""Write prebuilt/ (the corpus's passage vectors, qa_bot/prebuilt.py) after the corpus changed.

    python tools/write_prebuilt.py     # embeds only what the index's cache lacks

A fresh install's `qa-bot build` then embeds nothing, provided the model's weights, the corpus and
the chunking are still those recorded in prebuilt/manifest.json; when any differs, the build
ignores prebuilt/ and embeds everything.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa_bot.config import Settings  # noqa: E402
from qa_bot.documents import corpus_fingerprint, load_corpus  # noqa: E402
from qa_bot.embedding import shared_embedder  # noqa: E402
from qa_bot.embedding_cache import EmbeddingCache, text_key  # noqa: E402
from qa_bot.indexing import chunk_corpus, chunking_params, passage_text  # noqa: E402
from qa_bot.prebuilt import write_prebuilt  # noqa: E402


def main() -> int:
    settings = Settings.from_env()
    embedder = shared_embedder(settings.model)
    documents = load_corpus(settings.corpus_dir)
    chunks = chunk_corpus(documents, embedder, settings)
    texts = [passage_text(documents[c.doc_id], c) for c in chunks]
    texts += [documents[doc_id].title for doc_id in sorted(documents)]
    vectors = EmbeddingCache(settings.index_dir / "embeddings", embedder).embed(texts, show_progress=True)
    manifest = {"model": embedder.name, "weights_sha256": embedder.weights_sha256,
                "corpus_fingerprint": corpus_fingerprint(documents), "chunking": chunking_params(settings)}
    write_prebuilt(settings.prebuilt_dir, [text_key(t) for t in texts], vectors, manifest)
    print(f"wrote {len(texts)} vectors for {len(documents)} documents to {settings.prebuilt_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
