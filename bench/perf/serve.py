"""A benchmark server: the app's HTTP API (/api/ask, /api/health) over a given index, on loopback.

    python -m bench.perf.serve --index DIR --port 8101 [--batch 16] [--threads N]

The index is loaded as it is (the eval corpus has no corpus folder to check it against).
"""

from __future__ import annotations

import argparse
import logging
from dataclasses import replace
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from qa_bot import QABot, Settings
from qa_bot.index_store import read_index
from qa_bot.onnx_encoder import question_encoder


def create(index_dir: Path, batch: int) -> FastAPI:
    """The FastAPI app serving `index_dir` with micro-batches of up to `batch` questions."""
    settings = replace(Settings.from_env(), index_dir=index_dir, batch_max_size=batch)
    bot = QABot(settings, question_encoder(settings), read_index(index_dir))
    app = FastAPI()
    from qa_web.api import add_api

    add_api(app, bot)
    try:  # what `qa-bot serve` adds to every request: counting, timing, a log line (at INFO)
        from qa_web.health import add_health
        from qa_web.metrics import add_metrics

        add_health(app, bot)
        add_metrics(app, bot)
    except ImportError:  # a revision from before /metrics (bench/perf/throughput.py compares with one)
        pass
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--batch", type=int, default=Settings().batch_max_size)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    args = parser.parse_args()
    if args.threads:
        import torch  # only then: the server itself answers without torch

        torch.set_num_threads(args.threads)
    logging.basicConfig(level=logging.WARNING)
    uvicorn.run(create(args.index, args.batch), host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
