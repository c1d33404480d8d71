"""The server under load on loopback: `wrk` at 1 to 64 connections, one or two app processes,
with and without micro-batching, the two-process case behind nginx."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from qa_bot.config import PROJECT_ROOT

from .common import cpu_seconds, rss_mib

WRK_SCRIPT = """
local questions = %s
local counter = 0
request = function()
  counter = counter + 1
  local body = '{"question": ' .. questions[(counter %% #questions) + 1] .. '}'
  return wrk.format("POST", "/api/ask", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p95_ms": %%.2f, ' ..
    '"p99_ms": %%.2f, "errors": %%d}\\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""

NGINX_CONF = """
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  upstream qa_bot {{
    least_conn;
{servers}
    keepalive 64;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://qa_bot;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}
}}
"""


def wait_healthy(port: int, seconds: float = 600) -> None:
    """Return once GET /api/health answers 200 on `port`, or raise."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server on port {port} did not become healthy in {seconds} s")


@contextmanager
def app_server(index_dir: Path, port: int, batch: int, threads: int = 0, backend: str = "",
               tree: Path = PROJECT_ROOT) -> Iterator[int]:
    """A benchmark app process on 127.0.0.1:`port` (questions embedded by `backend`, default the
    setting's), running the code of checkout `tree`; yields its pid."""
    command = [sys.executable, "-m", "bench.perf.serve", "--index", str(index_dir), "--port", str(port)]
    command += ["--batch", str(batch), "--threads", str(threads)]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}
    if backend:
        env["QA_BOT_QUERY_BACKEND"] = backend
    env.pop("PYTHONPATH", None)
    process = subprocess.Popen(command, cwd=tree, env=env)
    try:
        wait_healthy(port)
        yield process.pid
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def nginx(backends: list[int], port: int) -> Iterator[None]:
    """Debian's nginx on 127.0.0.1:`port`, balancing over `backends` (least connections)."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory() as tmp:
        servers = "\n".join(f"    server 127.0.0.1:{b};" for b in backends)
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, servers=servers, port=port))
        process = subprocess.Popen([binary, "-c", str(conf), "-p", tmp], stderr=subprocess.DEVNULL)
        try:
            wait_healthy(port, 20)
            yield
        finally:
            process.send_signal(signal.SIGQUIT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wrk(port: int, connections: int, seconds: int, questions: list[str]) -> dict:
    """One bounded `wrk` run (one thread, `connections` open, `seconds` long) posting the questions."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        lua_list = "{" + ", ".join(json.dumps(json.dumps(q)) for q in questions) + "}"
        script.write(WRK_SCRIPT % lua_list)
    try:
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script.name,
             f"http://127.0.0.1:{port}"],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    result = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    result["connections"] = connections
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 2)
    return result


def load_curve(port: int, levels: list[int], seconds: int, questions: list[str], pid: int) -> list[dict]:
    """`wrk` at each number of connections, after a short warm-up, with the CPU time the server
    process `pid` used per request and the cores it kept busy."""
    wrk(port, 4, 2, questions)
    curve = []
    for connections in levels:
        cpu = cpu_seconds(pid)
        result = wrk(port, connections, seconds, questions)
        used = cpu_seconds(pid) - cpu
        result["server_cpu_ms_per_request"] = round(used / max(1, result["requests"]) * 1e3, 3)
        result["server_cores_busy"] = round(used / result["seconds"], 2)
        curve.append(result)
    return curve


def server_rss(pid: int) -> float:
    """Resident memory of the server process in MiB."""
    return round(rss_mib(pid), 1)
