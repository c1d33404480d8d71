"""ONNX Runtime beside torch for the same model: exported here from the packaged, verified weights.

sentence-transformers' own ONNX backend needs `optimum-onnx`, which pins transformers < 4.58 (this
project runs transformers 5), so the export uses `torch.onnx.export` and inference uses
`onnxruntime` directly with the model's own tokenizer, mean pooling and normalisation, as
sentence-transformers does for all-MiniLM-L6-v2. The int8 variant is onnxruntime's dynamic
quantisation of the fp32 export. Nothing is downloaded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from qa_bot.embedding import Embedder

from .common import CACHE, median, ratio


class OnnxEncoder:
    """Unit vectors from an exported ONNX file, with the sentence-transformers model's tokenizer."""

    def __init__(self, path: Path, embedder: Embedder, sort_batches: bool = False) -> None:
        import onnxruntime

        self.sort_batches = sort_batches
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = torch.get_num_threads()
        self._session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = embedder._model.tokenizer
        self._max_tokens = embedder.max_tokens

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """`(n, dimension)` float32 unit vectors, mean-pooled over each text's tokens."""
        if self.sort_batches:  # longest first in small batches, as little padding as possible
            order = np.argsort([-len(t) for t in texts], kind="stable")
            vectors = self._plain([texts[i] for i in order], 8)
            result = np.empty_like(vectors)
            result[order] = vectors
            return result
        return self._plain(texts, batch_size)

    def _plain(self, texts: list[str], batch_size: int) -> np.ndarray:
        out = []
        for start in range(0, len(texts), batch_size):
            tokens = self._tokenizer(
                texts[start : start + batch_size], padding=True, truncation=True,
                max_length=self._max_tokens, return_tensors="np",
            )
            feed = {k: tokens[k].astype(np.int64) for k in ("input_ids", "attention_mask", "token_type_ids")}
            hidden = self._session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
            out.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        return np.concatenate(out).astype(np.float32)


class _ByName(torch.nn.Module):
    """The transformer called with keyword inputs (its forward's positional order changed over versions)."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:  # noqa: E501
        out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return out.last_hidden_state


def export(embedder: Embedder, folder: Path = CACHE / "onnx") -> tuple[Path, Path]:
    """The fp32 and int8 ONNX files of `embedder`'s transformer, exported once into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    fp32, int8 = folder / f"{embedder.weights_sha256[:16]}.onnx", folder / f"{embedder.weights_sha256[:16]}-int8.onnx"
    if not fp32.is_file():
        transformer = _ByName(embedder._model[0].auto_model.eval())
        sample = embedder._model.tokenizer(["a sample sentence"], return_tensors="pt")
        inputs = (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"])
        names = ["input_ids", "attention_mask", "token_type_ids"]
        axes = {n: {0: "batch", 1: "tokens"} for n in names} | {"last_hidden_state": {0: "batch", 1: "tokens"}}
        with torch.no_grad():
            torch.onnx.export(
                transformer, inputs, str(fp32), input_names=names, output_names=["last_hidden_state"],
                dynamic_axes=axes, opset_version=17, dynamo=False,
            )
    if not int8.is_file():
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    return fp32, int8


def _speed(encode, questions: list[str], passages: list[str], repeats: int) -> tuple[float, float]:
    """Median seconds per single question, and seconds for the passages in batches of 64."""
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
    (questions embedded by each backend, searched exactly over the torch passage vectors)."""
    fp32, int8 = export(embedder)
    torch_encode = lambda texts: embedder.encode(texts)  # noqa: E731
    torch_q, torch_b = _speed(torch_encode, questions, passages, repeats)
    reference_p = embedder.encode(passages)
    reference_q = embedder.encode(agreement_questions)
    top_ref = np.argmax(reference_q @ passage_vectors.T, axis=1)
    report = {"questions_timed": len(questions), "passages_timed": len(passages), "repeats": repeats,
              "torch_query_ms": round(torch_q * 1e3, 3), "torch_passages_per_s": round(len(passages) / torch_b, 2)}
    for name, path, sort in (("onnx_fp32", fp32, False), ("onnx_fp32_sorted_batches_of_8", fp32, True),
                             ("onnx_int8", int8, False)):
        encoder = OnnxEncoder(path, embedder, sort)
        query_s, batch_s = _speed(encoder.encode, questions, passages, repeats)
        cos_p = np.sum(encoder.encode(passages) * reference_p, axis=1)
        vectors_q = encoder.encode(agreement_questions)
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


def batching_ceiling(encode: Callable[[list[str]], np.ndarray], questions: list[str], batch: int = 16,
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
