"""Operations signals on a real server: /metrics in the Prometheus format, /livez and /readyz, JSON log
lines without question text, and a SIGTERM that lets the requests in flight finish."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from qa_bot import QABot, Settings
from qa_bot.config import PROJECT_ROOT
from qa_bot.texts import texts

from .test_app import free_port, running, served

pytestmark = pytest.mark.server
QUESTION = "What are the symptoms of cerebellar atrophy?"
EMERGENCY = "I can't breathe and my chest hurts"


@pytest.fixture(scope="module")
def http(bot: QABot) -> Iterator[httpx.Client]:
    with running(served(bot)) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield client


def samples(client: httpx.Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, keyed by name and sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def test_metrics_count_requests_by_route_and_status_and_answers_by_kind(http: httpx.Client) -> None:
    before = samples(http)
    assert http.post("/api/ask", json={"question": QUESTION}).json()["status"] == "answered"
    assert http.post("/api/ask", json={"question": "How do I renew my passport?"}).json()["status"] == "no_match"
    assert http.post("/api/ask", json={"question": EMERGENCY}).status_code == 200
    assert http.post("/api/ask", json={"question": ""}).status_code == 422
    assert http.get("/no/such/page/anywhere").status_code == 404
    after = samples(http)

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    ask = {"method": "POST", "route": "/api/ask"}
    assert grew("qa_bot_http_requests_total", **ask, status="200") == 3
    assert grew("qa_bot_http_requests_total", **ask, status="422") == 1
    assert grew("qa_bot_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert grew("qa_bot_http_request_duration_seconds_count", route="/api/ask") == 4
    assert grew("qa_bot_http_request_duration_seconds_bucket", route="/api/ask", le="+Inf") == 4
    assert grew("qa_bot_answers_total", status="answered") == 1
    assert grew("qa_bot_answers_total", status="no_match") >= 1  # the passport question, the emergency maybe
    assert grew("qa_bot_emergency_escalations_total", kind="emergency") == 1
    assert grew("qa_bot_emergency_escalations_total", kind="crisis") == 0
    assert after[("process_resident_memory_bytes", ())] > 0


def test_metrics_name_the_index_version_its_age_and_size(http: httpx.Client, bot: QABot) -> None:
    found = samples(http)
    assert found[("qa_bot_index_info", (("version", bot.stored.version),))] == 1
    assert 0 <= found[("qa_bot_index_age_seconds", ())] < 7 * 24 * 3600
    assert found[("qa_bot_index_passages", ())] == len(bot.stored.manifest.chunks)
    assert found[("qa_bot_index_documents", ())] == len(bot.stored.documents)


def test_liveness_and_readiness(http: httpx.Client, bot: QABot) -> None:
    assert http.get("/livez").json() == {"status": "alive"}
    ready = http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "index_version": bot.stored.version, "model": bot.encoder.name}


def test_a_real_server_finishes_requests_in_flight_on_sigterm_and_logs_json_without_questions(
    bot: QABot, tmp_path: Path
) -> None:
    """`qa-bot serve` in its own process: 32 requests sent just before SIGTERM are all answered in full."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_BOT_")}
    env |= {"QA_BOT_LOG_FORMAT": "json", "QA_BOT_FEEDBACK": str(tmp_path / "feedback"),
            "QA_BOT_ONNX_DIR": str(bot.settings.onnx_dir), "GRADIO_ANALYTICS_ENABLED": "False"}
    settings: Settings = bot.settings
    stderr = (tmp_path / "stderr.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "qa_bot.cli", "--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir),
         "serve", "--port", str(port)], cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "the server did not become ready"
            try:
                if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        body = json.dumps({"question": "and how is it treated?",
                           "conversation": [f"my MRI says mild cerebellar volume loss ({i})" for i in range(20)]})
        request = (f"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()
        sockets = [socket.create_connection(("127.0.0.1", port), timeout=60) for _ in range(32)]
        for sock in sockets:  # every request is sent before the signal
            sock.sendall(request)
        server.send_signal(signal.SIGTERM)
        replies = [_read_all(sock) for sock in sockets]
        # uvicorn re-raises the signal once it has shut down, so the exit says "terminated by SIGTERM"
        assert server.wait(60) == -signal.SIGTERM
    finally:
        if server.poll() is None:
            server.kill()
    for reply in replies:
        head, _, payload = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200"), head
        assert json.loads(payload)["disclaimer"] == texts().disclaimer
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{base}/livez", timeout=2)
    stderr.seek(0)
    lines = [json.loads(line) for line in stderr.read().splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "qa_web.requests"]
    assert {"method": "POST", "route": "/api/ask", "status": 200}.items() <= requests[-1].items()
    assert all({"time", "level", "logger", "message"} <= line.keys() for line in lines)
    logged = json.dumps(lines)
    assert "treated" not in logged and "MRI" not in logged


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends on `sock` until it closes the connection."""
    chunks = []
    with sock:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)
