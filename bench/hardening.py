"""The server's limits under attack, measured on a real `qa-bot serve` process:

    python bench/hardening.py [--bodies 20] [--attempts 50]      # make bench-hardening

1. Memory: sends `--bodies` 10 MB bodies to /api/ask (half with a Content-Length, half streamed in
   chunks without one) and reports the status codes and the growth of the server's resident memory
   (VmRSS) and of its peak (VmHWM) from before the first to after the last. Target: all 413, growth
   under 20 MB.
2. Sign-in: `--attempts` wrong passwords in a row from one client to /admin/login, waiting out each
   429 (Retry-After) as a patient attacker would; reports the total time and the 429s seen, beside the
   least total the delay schedule gives (qa_web.admin_login.total_delay). Target: 50 take over 30 s.

Builds the seed corpus's index in a temporary folder first. Writes bench/results/hardening.json and
hardening.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TEN_MB = 10 * 1024 * 1024
PASSWORD = "a bench password, long enough"

from qa_bot import Settings  # noqa: E402
from qa_web.admin_login import total_delay  # noqa: E402


def _memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of process `pid`, in MB."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {key: int(fields[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM")}


def _streamed() -> object:
    yield b'{"question": "'
    for _ in range(TEN_MB // 65536):
        yield b"a" * 65536
    yield b'"}'


def bodies(url: str, pid: int, count: int) -> dict:
    with httpx.Client(base_url=url, timeout=60) as http:
        http.post("/api/ask", json={"question": "What is cerebellar atrophy?"})  # warm
        before = _memory(pid)
        statuses = []
        for n in range(count):
            content = b"a" * TEN_MB if n % 2 == 0 else _streamed()
            statuses.append(http.post("/api/ask", content=content, headers={"Content-Type": "application/json"})
                            .status_code)
        after = _memory(pid)
    return {
        "bodies": count, "statuses": sorted(set(statuses)), "all_413": all(s == 413 for s in statuses),
        "rss_before_mb": round(before["VmRSS"], 1), "rss_after_mb": round(after["VmRSS"], 1),
        "rss_growth_mb": round(after["VmRSS"] - before["VmRSS"], 1),
        "peak_growth_mb": round(after["VmHWM"] - before["VmHWM"], 1),
    }


def sign_ins(url: str, attempts: int) -> dict:
    began = time.monotonic()
    refused = 0
    with httpx.Client(base_url=url, timeout=60) as http:
        for _ in range(attempts):
            wrong = {"username": "bench", "password": "wrong"}
            while (response := http.post("/admin/login", data=wrong)).status_code == 429:
                refused += 1
                time.sleep(float(response.json()["retry_after"]))
            assert response.status_code == 400, response.text
    return {
        "attempts": attempts, "seconds": round(time.monotonic() - began, 1), "refused_429": refused,
        "least_seconds_by_schedule": round(total_delay(attempts, Settings()), 2),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--attempts", type=int, default=50)
    args = parser.parse_args()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("QA_BOT_ADMIN_PASSWORD", None)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "corpus", work / "corpus")
        env.update(QA_BOT_CORPUS=str(work / "corpus"), QA_BOT_INDEX=str(work / "index"),
                   QA_BOT_FEEDBACK=str(work / "feedback"), QA_BOT_ADMIN_USERS=str(work / "maintainers"))
        cli = [sys.executable, "-m", "qa_bot.cli"]
        subprocess.run([*cli, "build"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*cli, "add-maintainer", "bench"], cwd=ROOT, env=env, check=True, capture_output=True,
                       input=f"{PASSWORD}\n", text=True)
        port = _free_port()
        server = subprocess.Popen([*cli, "serve", "--port", str(port)], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline and server.poll() is None, "the server did not start"
                time.sleep(0.5)
            report = {"memory": bodies(url, server.pid, args.bodies), "sign_in": sign_ins(url, args.attempts)}
        finally:
            server.terminate()
            server.wait(10)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "hardening.json").write_text(json.dumps(report, indent=2) + "\n")
    memory, sign_in = report["memory"], report["sign_in"]
    (RESULTS / "hardening.md").write_text(
        "# Limits under attack (`python bench/hardening.py`)\n\n"
        f"- {memory['bodies']} bodies of 10 MB to /api/ask (half declared, half streamed): statuses "
        f"{memory['statuses']}; server memory {memory['rss_before_mb']} -> {memory['rss_after_mb']} MB "
        f"(growth {memory['rss_growth_mb']} MB, peak growth {memory['peak_growth_mb']} MB; target < 20 MB).\n"
        f"- {sign_in['attempts']} wrong passwords from one client, waiting out each 429: {sign_in['seconds']} s "
        f"({sign_in['refused_429']} refusals with 429; the schedule's least total is "
        f"{sign_in['least_seconds_by_schedule']} s; target >= 30 s).\n"
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
