"""Cold start: a new process until its first answer, against a process that imports
sentence-transformers and loads the same model alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from qa_bot.config import PROJECT_ROOT

from .common import median, ratio

BOT = """
import sys, time
from qa_bot import QABot, Settings
bot = QABot.load(Settings.from_env(index_dir=sys.argv[2], corpus_dir=sys.argv[3]))
bot.ask("What is cerebellar atrophy?")
print(time.time() - float(sys.argv[1]))
"""

BARE = """
import sys, time
from sentence_transformers import SentenceTransformer
from qa_bot.model_files import resolve_model
SentenceTransformer(str(resolve_model("all-MiniLM-L6-v2")[0]), device="cpu", local_files_only=True)
print(time.time() - float(sys.argv[1]))
"""


def _run(script: str, *args: str) -> float:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-c", script, repr(started), *args],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300, check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def cold_start(index_dir: Path, corpus_dir: Path, repeats: int = 3) -> dict:
    """Median seconds from process start to the first answer, and to a loaded bare model."""
    bot_s, bare_s = [], []
    _run(BARE)  # warm the page cache for both
    for _ in range(repeats):
        bare_s.append(_run(BARE))
        bot_s.append(_run(BOT, str(index_dir), str(corpus_dir)))
    return {
        "repeats": repeats,
        "first_answer_s": round(median(bot_s), 3),
        "bare_model_load_s": round(median(bare_s), 3),
        "ratio": ratio(median(bot_s), median(bare_s)),
    }
