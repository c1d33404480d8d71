"""The performance benchmark: `make bench` (or `python -m bench.perf [SECTION ...]`).

Writes bench/results/perf.json and perf.md. Every figure is a ratio against a baseline measured in
the same run, with medians over repeats. Sections: latency, build, coldstart, load, peer, onnx.
Given sections are run again and merged into the existing perf.json; none given runs them all.
The section serving (issue 18: memory per 100k passages, throughput against the embedding ceiling)
compares with the revision in QA_BOT_BENCH_BEFORE when it is set. The section spread measures the
old targets (ask p50 at 1M passages / bare embedding, index time / txtai) three times and reports
their spread (bench/perf/spread.py).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from dataclasses import replace

from qa_bot.config import PROJECT_ROOT, Settings
from qa_bot.embedding import shared_embedder
from qa_eval.data import load_documents

from .common import EVAL_DOCS, RESULTS, eval_index, eval_questions, machine, seed_index, seed_questions

SECTIONS = ("latency", "build", "coldstart", "load", "peer", "onnx", "serving", "spread")
LOAD_LEVELS = [1, 8, 32, 64]
LOAD_SECONDS = 10
SUBSET_DOCUMENTS = 60

logger = logging.getLogger("bench.perf")


def _ascii(questions: list[str]) -> list[str]:
    return [q for q in questions if q.isascii() and '"' not in q]


def run_latency(results: dict) -> None:
    from .common import with_vector_index
    from .latency import latency_breakdown, recall_at_10
    from .synthetic import NOISE_NORM, synthetic_index

    settings = Settings()
    embedder = shared_embedder(settings.model)
    section: dict = {}
    seed = seed_index(embedder, settings)
    section["seed"] = latency_breakdown(seed, embedder, settings, seed_questions(40))
    results["latency"] = section
    stored = eval_index(embedder, settings)
    exact = with_vector_index(stored, stored.vectors.ntotal + 1)
    hnsw = with_vector_index(stored, 1)
    questions = eval_questions(60)
    section["eval_exact"] = latency_breakdown(exact, embedder, settings, questions)
    section["eval_hnsw"] = latency_breakdown(hnsw, embedder, settings, questions)
    query_vectors = embedder.encode(eval_questions(500, seed=11))
    section["eval_hnsw"]["recall_at_10_vs_exact"] = recall_at_10(exact, hnsw, query_vectors)
    section["eval_hnsw_torch"] = latency_breakdown(hnsw, embedder, replace(settings, query_backend="torch"), questions)
    del exact, hnsw
    big, timings = synthetic_index(stored, 1_000_000, settings.hnsw_min_passages)
    section["synthetic_1m"] = latency_breakdown(big, embedder, settings, questions[:40], repeats=2)
    section["synthetic_1m"]["build"] = timings
    section["synthetic_1m"]["data"] = (
        "eval passages repeated to 1M rows; copies' vectors = original + Gaussian noise "
        f"(norm {NOISE_NORM}), renormalised"
    )
    sample = query_vectors[:200]
    exact_big = big.vectors  # HNSW; exact truth by brute force over the same vectors
    truth_vectors = exact_big.reconstruct_n(0, exact_big.ntotal)
    truth = (sample @ truth_vectors.T).argsort(axis=1)[:, ::-1][:, :10]
    del truth_vectors
    _, found = exact_big.search(sample, 10)
    section["synthetic_1m"]["recall_at_10_vs_exact"] = round(
        float(sum(len(set(f) & set(t)) for f, t in zip(found, truth, strict=True)) / (10 * len(sample))), 4
    )
    section["synthetic_1m"]["build"]["hnsw_passages_per_s"] = round(
        1_000_000 / timings["vector_index_build_s"], 1
    )
    from .common import rss_mib

    section["synthetic_1m"]["process_rss_mib_with_1m_index"] = round(rss_mib(), 1)


def run_build(results: dict) -> None:
    from .build import build_throughput, incremental_add

    settings = Settings()
    embedder = shared_embedder(settings.model)
    documents = load_documents(EVAL_DOCS)
    subset = {d: documents[d] for d in sorted(documents)[:SUBSET_DOCUMENTS]}
    throughput = build_throughput(embedder, settings, subset)
    results["build"] = throughput
    results["incremental"] = incremental_add(embedder, settings, documents, throughput["build_passages_per_s"])


def run_coldstart(results: dict) -> None:
    from .coldstart import cold_start

    settings = Settings()
    seed = seed_index(shared_embedder(settings.model), settings)
    index_dir = PROJECT_ROOT / "bench" / "cache" / f"index-{_fingerprint_of(seed)}"
    results["coldstart"] = cold_start(index_dir, PROJECT_ROOT / "corpus")


def _fingerprint_of(stored) -> str:
    return stored.manifest.corpus_fingerprint[:16]


def run_load(results: dict) -> None:
    from .load import app_server, load_curve, nginx, server_rss, wrk

    settings = Settings()
    embedder = shared_embedder(settings.model)
    stored = eval_index(embedder, settings)
    seed = seed_index(embedder, settings)
    cache = PROJECT_ROOT / "bench" / "cache"
    eval_dir, seed_dir = cache / f"index-{_fingerprint_of(stored)}", cache / f"index-{_fingerprint_of(seed)}"
    passages = {"eval": len(stored.manifest.chunks), "seed": len(seed.manifest.chunks)}
    del stored, seed
    questions = _ascii(eval_questions(200, seed=3))
    section: dict = {"corpus": "eval", "passages": passages["eval"], "seconds_per_level": LOAD_SECONDS,
                     "generator": "wrk -t1 (one thread), POST /api/ask, questions rotating, same machine"}
    results["load"] = section
    from qa_bot.onnx_encoder import question_encoder

    from .onnx_probe import batching_ceiling, core_arrangements

    section["embedding_batch_ceiling"] = {
        backend: batching_ceiling(question_encoder(replace(settings, query_backend=backend)).encode, questions)
        for backend in ("onnx", "torch")
    }
    section["embedding_core_arrangements"] = core_arrangements(embedder, questions)
    with app_server(seed_dir, 8111, settings.batch_max_size) as pid:
        wrk(8111, 4, 2, ["What is cerebellar atrophy?"])
        rss_seed = server_rss(pid)
    with app_server(eval_dir, 8111, settings.batch_max_size) as pid:
        section["batched"] = load_curve(8111, LOAD_LEVELS, LOAD_SECONDS, questions, pid)
        rss_eval = server_rss(pid)
    section["memory"] = {
        "server_rss_seed_mib": rss_seed,
        "server_rss_eval_mib": rss_eval,
        "mib_per_100k_passages": round((rss_eval - rss_seed) / (passages["eval"] - passages["seed"]) * 1e5, 1),
    }
    with app_server(eval_dir, 8111, 1) as pid:
        section["unbatched"] = load_curve(8111, LOAD_LEVELS, LOAD_SECONDS, questions, pid)
    at32 = {name: next(r for r in section[name] if r["connections"] == 32) for name in ("batched", "unbatched")}
    section["batching_gain_at_32"] = round(at32["batched"]["requests_per_s"] / at32["unbatched"]["requests_per_s"], 3)
    torch_runs: dict = {}
    for name, batch in (("batched", settings.batch_max_size), ("unbatched", 1)):
        with app_server(eval_dir, 8111, batch, backend="torch"):
            wrk(8111, 4, 2, questions)
            torch_runs[name] = wrk(8111, 32, LOAD_SECONDS, questions)
    torch_runs["batching_gain"] = round(
        torch_runs["batched"]["requests_per_s"] / torch_runs["unbatched"]["requests_per_s"], 3
    )
    section["torch_queries_32_clients"] = torch_runs
    section["gain_at_32_vs_unbatched_torch_server"] = round(
        at32["batched"]["requests_per_s"] / torch_runs["unbatched"]["requests_per_s"], 3
    )
    scale: dict = {}
    with app_server(eval_dir, 8111, settings.batch_max_size), app_server(eval_dir, 8112, settings.batch_max_size):
        with nginx([8111], 8110):
            wrk(8110, 4, 2, questions)
            scale["one_process"] = wrk(8110, 32, LOAD_SECONDS, questions)
        with nginx([8111, 8112], 8110):
            wrk(8110, 8, 2, questions)
            scale["two_processes"] = wrk(8110, 32, LOAD_SECONDS, questions)
    scale["ratio"] = round(scale["two_processes"]["requests_per_s"] / scale["one_process"]["requests_per_s"], 3)
    section["scale_out_nginx_32_clients"] = scale


def run_peer(results: dict) -> None:
    from .peer import txtai_peer

    settings = Settings()
    documents = load_documents(EVAL_DOCS)
    subset = {d: documents[d] for d in sorted(documents)[SUBSET_DOCUMENTS : 2 * SUBSET_DOCUMENTS]}
    results["peer"] = txtai_peer(shared_embedder(settings.model), settings, subset, eval_questions(40, seed=5))


def run_onnx(results: dict) -> None:
    from .onnx_probe import onnx_comparison

    settings = Settings()
    embedder = shared_embedder(settings.model)
    stored = eval_index(embedder, settings)
    from qa_bot.indexing import passage_text

    chunks = stored.manifest.chunks
    passages = [passage_text(stored.documents[c.doc_id], c) for c in chunks[::100][:128]]
    vectors = stored.vectors.reconstruct_n(0, stored.vectors.ntotal)
    agreement = eval_questions(1000, seed=13)
    results["onnx"] = onnx_comparison(embedder, eval_questions(40, seed=9), passages, agreement, vectors)


def run_serving(results: dict) -> None:
    from contextlib import ExitStack

    from qa_bot.index_store import read_manifest

    from .onnx_probe import one_thread_encoder
    from .scale_index import scale_index_dir
    from .throughput import checkout, server_memory, throughput

    settings = Settings()
    embedder = shared_embedder(settings.model)
    stored, seed = eval_index(embedder, settings), seed_index(embedder, settings)
    cache = PROJECT_ROOT / "bench" / "cache"
    eval_dir, seed_dir = cache / f"index-{_fingerprint_of(stored)}", cache / f"index-{_fingerprint_of(seed)}"
    indexes = {"seed": (seed_dir, len(seed.manifest.chunks)), "eval": (eval_dir, len(stored.manifest.chunks))}
    if os.environ.get("QA_BOT_BENCH_1M", "1") == "1":
        big = scale_index_dir(stored, 1_000_000, settings)
        indexes["synthetic_1m"] = (big, len(read_manifest(big)[1].chunks))
    del stored, seed
    questions = _ascii(eval_questions(200, seed=3))
    section: dict = {"connections": 32, "machine_load_average_at_start": os.getloadavg()}
    results["serving"] = section
    with ExitStack() as stack:
        trees = {"after": PROJECT_ROOT}
        before = os.environ.get("QA_BOT_BENCH_BEFORE")
        if before:
            trees = {"before": stack.enter_context(checkout(before)), **trees}
        section["revisions"] = {label: str(tree) for label, tree in trees.items()} | {"before_revision": before}
        section["memory"] = {label: server_memory(indexes, questions, tree) for label, tree in trees.items()}
        encoders = [one_thread_encoder(embedder, PROJECT_ROOT / "bench" / "cache" / "onnx").encode
                    for _ in range(os.cpu_count() or 1)]
        section["throughput_32_clients"] = throughput(eval_dir, questions, encoders, trees)
    section["machine_load_average_after"] = os.getloadavg()


def run_spread(results: dict) -> None:
    from .spread import old_targets

    settings = Settings()
    embedder = shared_embedder(settings.model)
    documents = load_documents(EVAL_DOCS)
    subset = {d: documents[d] for d in sorted(documents)[SUBSET_DOCUMENTS : 2 * SUBSET_DOCUMENTS]}  # as in peer
    results["spread"] = {"machine_load_average_at_start": os.getloadavg(),
                         **old_targets(embedder, settings, eval_index(embedder, settings), subset,
                                       eval_questions(60)[:40], eval_questions(40, seed=5)),
                         "machine_load_average_after": os.getloadavg()}


def main(argv: list[str]) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    chosen = argv or list(SECTIONS)
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        print(f"unknown sections {sorted(unknown)}; choose from {SECTIONS}", file=sys.stderr)
        return 2
    if not EVAL_DOCS.is_file():
        print(f"bench: {EVAL_DOCS} is missing; put the eval data in ../shared/eval.", file=sys.stderr)
        return 2
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "perf.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    results.setdefault("errors", {})
    results.setdefault("runs", {})
    for name in chosen:
        began = time.time()
        logger.info("section %s", name)
        try:
            globals()[f"run_{name}"](results)
            results["errors"].pop(name, None)
        except Exception as err:  # a failed section is reported, the others still run
            traceback.print_exc()
            results["errors"][name] = f"{type(err).__name__}: {err}"
        results["runs"][name] = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(began)),
            "seconds": round(time.time() - began, 1),
            "machine": machine(),
            "load_average_after": os.getloadavg(),
        }
        path.write_text(json.dumps(results, indent=1) + "\n")
    from .report import markdown

    (RESULTS / "perf.md").write_text(markdown(results))
    print(f"wrote {path} and {RESULTS / 'perf.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
