"""ONNX Runtime beside torch for the same model, as shipped in qa_bot/onnx_encoder.py (exported here
from the packaged, verified weights), and its int8 variant: onnxruntime's dynamic quantisation of
that export. Nothing is downloaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from qa_bot.batching import Encode
from qa_bot.embedding import Embedder
from qa_bot.model_files import locate_model
from qa_bot.onnx_encoder import OnnxEncoder, shared_onnx_encoder
from qa_bot.onnx_export import export_onnx

from .common import CACHE, median, ratio


class Int8Encoder(OnnxEncoder):
    """The shipped encoder running the int8 quantisation of its export instead."""

    def __init__(self, embedder: Embedder, folder: Path) -> None:
        import onnxruntime
        from onnxruntime.quantization import QuantType, quantize_dynamic

        super().__init__(locate_model(embedder.name), folder)
        fp32 = export_onnx(embedder, folder)
        int8 = fp32.with_name(fp32.stem + "-int8.onnx")
        if not int8.is_file():
            quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        self._session = onnxruntime.InferenceSession(str(int8), options, providers=["CPUExecutionProvider"])


def one_thread_encoder(embedder: Embedder, folder: Path) -> OnnxEncoder:
    """A one-thread ONNX Runtime session of its own: the shipped encoder (one thread since issue 18), not
    the process's shared one, so several can run side by side."""
    return OnnxEncoder(locate_model(embedder.name), folder)


def _side_by_side(encoders: list[Encode], questions: list[str], batch: int) -> None:
    """Each encoder embeds its share of `questions` in batches of `batch`, all in parallel threads."""
    shares = [questions[i :: len(encoders)] for i in range(len(encoders))]

    def run(encode: Encode, share: list[str]) -> None:
        for start in range(0, len(share), batch):
            encode(share[start : start + batch])

    threads = [threading.Thread(target=run, args=pair) for pair in zip(encoders, shares, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def core_arrangements(embedder: Embedder, questions: list[str], batch: int = 8, repeats: int = 3) -> dict:
    """Milliseconds per question for the ways this machine's cores can embed a stream of questions:
    the shipped session (one thread since issue 18) alone and in batches, one session on one thread, and
    one one-thread session per core side by side, alone and in batches of `batch`. The shipped
    encoder alone over the best of them is the most that any way of embedding many questions at
    once (batches, parallel sessions or both) can gain over the unbatched server's embedding. The
    CPU time per question (all threads of this process) shows what each way costs the machine."""
    folder = CACHE / "onnx"
    shipped = shared_onnx_encoder(embedder.name, folder).encode
    single = [one_thread_encoder(embedder, folder).encode for _ in range(torch.get_num_threads())]
    ways: dict[str, Callable[[], None]] = {
        "shipped_alone": lambda: _side_by_side([shipped], questions, 1),
        f"shipped_batches_of_{batch}": lambda: _side_by_side([shipped], questions, batch),
        "one_thread_alone": lambda: _side_by_side(single[:1], questions, 1),
        "one_thread_sessions_side_by_side_alone": lambda: _side_by_side(single, questions, 1),
        f"one_thread_sessions_side_by_side_batches_of_{batch}": lambda: _side_by_side(single, questions, batch),
    }
    _side_by_side([shipped, *single], questions[:32], batch)  # warm every session
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    cpu: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeats):
        for name, run in ways.items():
            began, began_cpu = time.perf_counter(), time.process_time()
            run()
            seconds[name].append(time.perf_counter() - began)
            cpu[name].append(time.process_time() - began_cpu)
    ms = {name: round(median(s) / len(questions) * 1e3, 3) for name, s in seconds.items()}
    best = min(ms, key=ms.get)
    return {"questions": len(questions), "sessions_side_by_side": len(single), "ms_per_question": ms,
            "cpu_ms_per_question": {name: round(median(c) / len(questions) * 1e3, 3) for name, c in cpu.items()},
            "best": best, "ceiling": ratio(ms["shipped_alone"], ms[best])}


def _speed(encode: Encode, questions: list[str], passages: list[str], repeats: int) -> tuple[float, float]:
    """Median seconds per single question, and for all the passages in one call."""
    for q in questions[:3]:
        encode([q])
    single, batch = [], []
    for _ in range(repeats):
        for q in questions:
            began = time.perf_counter()
            encode([q])
            single.append(time.perf_counter() - began)
        began = time.perf_counter()
        encode(passages)
        batch.append(time.perf_counter() - began)
    return median(single), median(batch)


def onnx_comparison(
    embedder: Embedder, questions: list[str], passages: list[str], agreement_questions: list[str],
    passage_vectors: np.ndarray, repeats: int = 3,
) -> dict:
    """Speed ratios against torch for queries and builds, vector agreement, and top-1 passage agreement
    (questions embedded by each backend, searched exactly over the torch passage vectors). torch embeds
    passages as index builds do (`Embedder.encode`), ONNX longest first in batches of 8."""
    folder = CACHE / "onnx"
    torch_q, torch_b = _speed(embedder.encode, questions, passages, repeats)
    reference_p = embedder.encode(passages)
    reference_q = embedder.encode(agreement_questions)
    top_ref = np.argmax(reference_q @ passage_vectors.T, axis=1)
    report = {"questions_timed": len(questions), "passages_timed": len(passages), "repeats": repeats,
              "torch_query_ms": round(torch_q * 1e3, 3), "torch_passages_per_s": round(len(passages) / torch_b, 2)}
    for name, encode in (("onnx_fp32", shared_onnx_encoder(embedder.name, folder).encode),
                         ("onnx_int8", Int8Encoder(embedder, folder).encode)):
        query_s, batch_s = _speed(encode, questions, passages, repeats)
        cos_p = np.sum(encode(passages) * reference_p, axis=1)
        vectors_q = encode(agreement_questions)
        top = np.argmax(vectors_q @ passage_vectors.T, axis=1)
        report[name] = {
            "query_ms": round(query_s * 1e3, 3),
            "query_speedup": ratio(torch_q, query_s),
            "passages_per_s": round(len(passages) / batch_s, 2),
            "build_encode_speedup": ratio(torch_b, batch_s),
            "min_cosine_to_torch_passages": round(float(cos_p.min()), 5),
            "min_cosine_to_torch_questions": round(float(np.sum(vectors_q * reference_q, axis=1).min()), 5),
            "top1_passage_agreement": round(float(np.mean(top == top_ref)), 4),
            "agreement_questions": len(agreement_questions),
        }
    return report


def batching_ceiling(encode: Encode, questions: list[str], batch: int = 16,
                     repeats: int = 3) -> dict:
    """Milliseconds per question embedded alone and within batches of `batch`, interleaved: their
    ratio is the most that micro-batching can gain on the embedding of a busy server."""
    for q in questions[:3]:
        encode([q])
    alone, together = [], []
    for _ in range(repeats):
        for start in range(0, len(questions) - batch + 1, batch):
            group = questions[start : start + batch]
            began = time.perf_counter()
            for q in group:
                encode([q])
            alone.append((time.perf_counter() - began) / batch)
            began = time.perf_counter()
            encode(group)
            together.append((time.perf_counter() - began) / batch)
    return {
        "batch": batch,
        "alone_ms_per_question": round(median(alone) * 1e3, 3),
        "in_batch_ms_per_question": round(median(together) * 1e3, 3),
        "ceiling": ratio(median(alone), median(together)),
    }
