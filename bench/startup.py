"""Cold start of the command line and warm answer latency, before and after a change, in one run.

    python bench/startup.py [--before REF] [--repeats 5]      # make bench-startup

Checks out REF (default: the commit before the one-way architecture work) beside this checkout,
builds the seed corpus's index with each version's own code, then times fresh processes of
`qa-bot list` and `qa-bot ask --json "…"` on it, interleaving the two versions so a busy moment
weighs on both alike. Then, in one process per version, the median time of `QABot.ask` over the
first questions of bench/patients (3 passes, after a warm-up), and for the version after, over the
follow-up turns of its conversations with their earlier questions. Reports medians, and which
heavy packages `import qa_bot.cli` loads in each. Writes bench/results/startup.json and startup.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BEFORE = "2b5587b"
QUESTION = "What is cerebellar atrophy?"
HEAVY = ("torch", "sentence_transformers", "transformers", "scipy", "gradio")
COMMANDS = {"list": ["list"], "ask": ["ask", "--json", QUESTION]}
# The floor of a cold `ask`: a process that imports onnxruntime and tokenizers and loads the ONNX
# model and its tokenizer, nothing else (argv = the .onnx file, tokenizer.json).
BARE_ONNX = """
import sys, onnxruntime, tokenizers
onnxruntime.InferenceSession(sys.argv[1], providers=["CPUExecutionProvider"])
tokenizers.Tokenizer.from_file(sys.argv[2])
"""
# Times `QABot.ask` in one process: argv = corpus, index, questions file (JSON list of [question, earlier]).
ASK_LATENCY = """
import json, statistics, sys, time
from pathlib import Path
from qa_bot import QABot, Settings
bot = QABot.load(Settings.from_env(corpus_dir=Path(sys.argv[1]), index_dir=Path(sys.argv[2])))
items = json.loads(Path(sys.argv[3]).read_text())
ask = (lambda q, e: bot.ask(q, e)) if items and items[0][1] is not None else (lambda q, e: bot.ask(q))
for q, e in items[:10]:
    ask(q, e)
times = []
for _ in range(3):
    for q, e in items:
        began = time.perf_counter()
        ask(q, e)
        times.append(time.perf_counter() - began)
print(json.dumps(round(statistics.median(times) * 1000, 2)))
"""


def _run(tree: Path, args: list[str], env: dict[str, str]) -> float:
    """Seconds for one fresh `python -m qa_bot.cli ARGS` from `tree` (whose code is imported first)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qa_bot.cli", *args], cwd=tree, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    return time.perf_counter() - began


def _bare_onnx(env: dict[str, str]) -> float:
    """Seconds for one fresh process that only loads the ONNX model and its tokenizer."""
    from qa_bot.config import Settings
    from qa_bot.model_files import locate_model
    from qa_bot.onnx_export import onnx_path

    settings = Settings()
    model = locate_model(settings.model)
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", BARE_ONNX, str(onnx_path(settings.onnx_dir, model.weights_sha256)),
                    str(model.folder / "tokenizer.json")], env=env, check=True, timeout=300)
    return time.perf_counter() - began


def _heavy_imports(tree: Path, env: dict[str, str]) -> list[str]:
    check = f"import sys, qa_bot.cli; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", check], cwd=tree, env=env, check=True, capture_output=True,
                         text=True, timeout=300)
    return json.loads(out.stdout.strip().replace("'", '"'))


def _ask_latency(trees: dict[str, Path], places: dict[str, list[str]], env: dict[str, str], scratch: Path) -> dict:
    """Median milliseconds of `QABot.ask`: first questions in both versions, follow-ups after."""
    sets = ROOT / "bench" / "patients"
    first = [[json.loads(line)["question"], None] for line in (sets / "first_questions.jsonl").read_text().splitlines()]
    follow = []
    for line in (sets / "conversations.jsonl").read_text().splitlines():
        turns = [t["question"] for t in json.loads(line)["turns"]]
        follow += [[turn, turns[:i]] for i, turn in enumerate(turns) if i]
    runs = {"first_before": ("before", first), "first_after": ("after", first), "follow_up_after": ("after", follow)}
    found = {}
    for key, (label, items) in runs.items():
        path = scratch / f"{key}.json"
        path.write_text(json.dumps(items))
        out = subprocess.run([sys.executable, "-c", ASK_LATENCY, places[label][1], places[label][3], str(path)],
                             cwd=trees[label], env=env, check=True, capture_output=True, text=True, timeout=600)
        found[key] = json.loads(out.stdout.strip().splitlines()[-1])
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", default=BEFORE, help=f"the git revision to compare with (default {BEFORE})")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qa-bot-startup-") as scratch:
        old = Path(scratch) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old), args.before], cwd=ROOT, check=True)
        try:
            (old / ".cache").symlink_to(ROOT / ".cache", target_is_directory=True)  # the same ONNX export
            trees = {"before": old, "after": ROOT}
            env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_") and k != "PYTHONPATH"}
            env |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
            places = {}
            for label, tree in trees.items():
                index = Path(scratch) / f"index-{label}"
                places[label] = ["--corpus", str(ROOT / "corpus"), "--index", str(index)]
                # Bytecode compiled, as `pip install` leaves an installed package (this machine sets
                # PYTHONDONTWRITEBYTECODE, so an editable checkout would be compiled at every start).
                subprocess.run([sys.executable, "-m", "compileall", "-q", "qa_bot"], cwd=tree, env=env, check=True)
                _run(tree, [*places[label], "build"], env)
                _run(tree, [*places[label], *COMMANDS["ask"]], env)  # warm-up: file caches, any ONNX export
            times: dict[str, dict[str, list[float]]] = {label: {c: [] for c in COMMANDS} for label in trees}
            bare: list[float] = []
            for _ in range(args.repeats):
                bare.append(_bare_onnx(env))
                for command, words in COMMANDS.items():
                    for label, tree in trees.items():
                        times[label][command].append(_run(tree, [*places[label], *words], env))
            heavy = {label: _heavy_imports(tree, env) for label, tree in trees.items()}
            latency = _ask_latency(trees, places, env, Path(scratch))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, check=False)
    report = {
        "before": args.before,
        "after": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip(),
        "repeats": args.repeats,
        "median_s": {label: {c: round(statistics.median(v), 3) for c, v in t.items()} for label, t in times.items()},
        "all_s": {label: {c: [round(x, 3) for x in v] for c, v in t.items()} for label, t in times.items()},
        "bare_onnx_load_s": round(statistics.median(bare), 3),
        "all_bare_onnx_load_s": [round(x, 3) for x in bare],
        "ask_to_bare_by_repeat": [round(a / b, 3) for a, b in zip(times["after"]["ask"], bare, strict=True)],
        "import_qa_bot_cli_loads": heavy,
        "ask_p50_ms": latency,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "startup.json").write_text(json.dumps(report, indent=1) + "\n")
    median = report["median_s"]
    lines = [
        "# Cold start of the command line",
        "",
        f"`python bench/startup.py` (`make bench-startup`): fresh processes on the seed corpus, medians of "
        f"{args.repeats}, before ({report['before']}) and after ({report['after']}) in one run.",
        "",
        "| command | before (s) | after (s) | after / before |",
        "|---|---|---|---|",
        *(f"| `qa-bot {' '.join(w)}` | {median['before'][c]} | {median['after'][c]} | "
          f"{median['after'][c] / median['before'][c]:.2f} |" for c, w in COMMANDS.items()),
        "",
        f"A process that only imports onnxruntime and tokenizers and loads the ONNX model and its tokenizer: "
        f"{report['bare_onnx_load_s']} s; cold `qa-bot ask` after is "
        f"{median['after']['ask'] / report['bare_onnx_load_s']:.2f}x that (target 1.5x: "
        f"{'met' if median['after']['ask'] <= 1.5 * report['bare_onnx_load_s'] else 'missed'}); each repeat's "
        f"ratio (the two timed one after the other): {', '.join(f'{r:.2f}' for r in report['ask_to_bare_by_repeat'])}.",
        "",
        f"Warm `QABot.ask`, median over the first questions of bench/patients: before "
        f"{latency['first_before']} ms, after {latency['first_after']} ms "
        f"({latency['first_after'] / latency['first_before']:.2f}x); follow-up turns with their "
        f"conversations, after: {latency['follow_up_after']} ms.",
        "",
        f"`import qa_bot.cli` loads, before: {', '.join(heavy['before']) or 'none of them'}; "
        f"after: {', '.join(heavy['after']) or 'none of ' + ', '.join(HEAVY)}.",
        "",
    ]
    (RESULTS / "startup.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
