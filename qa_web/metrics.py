"""Operations signals at /metrics, in the Prometheus text format (`prometheus-client`), and one log line a request.

    qa_bot_http_requests_total{method,route,status}      requests by route template and status
    qa_bot_http_request_duration_seconds{route}          latency histogram
    qa_bot_http_requests_in_flight                       requests being served now
    qa_bot_answers_total{status}                         answered / no_match / clarify (chat, API alike)
    qa_bot_emergency_escalations_total{kind}             answers carrying the emergency or crisis notice
    qa_bot_index_info{version}, qa_bot_index_age_seconds the index version served and how old it is
    qa_bot_index_passages, qa_bot_index_documents        its size
    process_*                                            resident memory, CPU seconds, open files

Each process has its own registry: scrape every process (or replica) and sum in Prometheus. Route
labels are the routes' templates ("/api/ask"), "unmatched" for paths no route serves, so a client
cannot grow the label set. Request lines (logger `qa_web.requests`, level INFO) hold the method,
route, status and milliseconds, never a question.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector

from qa_bot import Answer, QABot

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ESCALATIONS = ("emergency", "crisis")
request_log = logging.getLogger("qa_web.requests")


class ServiceMetrics:
    """The counters of one serving process, in their own registry."""

    def __init__(self, bot: QABot) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("qa_bot_http_requests", "HTTP requests by route and status.",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("qa_bot_http_request_duration_seconds", "Time to serve an HTTP request.",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.in_flight = Gauge("qa_bot_http_requests_in_flight", "HTTP requests being served.", registry=self.registry)
        self.answers = Counter("qa_bot_answers", "Answers given, by status.", ["status"], registry=self.registry)
        self.escalations = Counter("qa_bot_emergency_escalations", "Answers carrying an emergency or crisis notice.",
                                   ["kind"], registry=self.registry)
        for status in ("answered", "no_match", "clarify"):
            self.answers.labels(status)
        for kind in ESCALATIONS:
            self.escalations.labels(kind)
        self.registry.register(IndexCollector(bot))
        ProcessCollector(registry=self.registry)
        bot.answer_observers.append(self.count_answer)

    def count_answer(self, answer: Answer) -> None:
        """Count `answer` by status, and its escalations."""
        self.answers.labels(answer.status).inc()
        kinds = {notice.kind for notice in answer.notices}
        for kind in ESCALATIONS:
            if kind in kinds:
                self.escalations.labels(kind).inc()

    def exposition(self) -> Response:
        """The registry in the Prometheus text format."""
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class IndexCollector:
    """The index version being served, read at each scrape (it changes when maintainers publish)."""

    def __init__(self, bot: QABot) -> None:
        self._bot = bot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """The version (as a label), its age in seconds and its size."""
        stored = self._bot.stored
        info = GaugeMetricFamily("qa_bot_index_info", "The index version served (value 1).", labels=["version"])
        info.add_metric([stored.version], 1)
        yield info
        created = datetime.strptime(stored.manifest.created_at, "%Y-%m-%dT%H:%M:%S%z").timestamp()
        yield GaugeMetricFamily("qa_bot_index_age_seconds", "Seconds since the served index version was built.",
                                value=max(0.0, time.time() - created))
        yield GaugeMetricFamily("qa_bot_index_passages", "Passages in the served index.",
                                value=len(stored.manifest.chunks))
        yield GaugeMetricFamily("qa_bot_index_documents", "Documents in the served index.", value=len(stored.documents))


def route_of(scope: Scope) -> str:
    """The template of the route that served `scope` ("/api/ask"), with its mount's prefix; "unmatched" if none."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return f"{scope.get('root_path', '')}{path}" if path is not None else "unmatched"


class RequestMetrics:
    """ASGI middleware: counts and times every HTTP request, and logs one line for it."""

    def __init__(self, app: ASGIApp, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500  # what the client sees if the app fails before it answers

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_flight.inc()
        try:
            await self.app(scope, receive, sending)
        finally:
            self.metrics.in_flight.dec()
            seconds = time.perf_counter() - began
            route = route_of(scope)
            self.metrics.requests.labels(scope["method"], route, str(status)).inc()
            self.metrics.latency.labels(route).observe(seconds)
            if request_log.isEnabledFor(logging.INFO):
                fields = {"method": scope["method"], "route": route, "status": status, "ms": round(seconds * 1000, 2)}
                request_log.info("%s %s %s %.1f ms", scope["method"], route, status, seconds * 1000,
                                 extra={"fields": fields})


def add_metrics(app: FastAPI, bot: QABot) -> ServiceMetrics:
    """Serve /metrics and count every request to `app` and every answer of `bot`."""
    metrics = ServiceMetrics(bot)
    app.add_api_route("/metrics", metrics.exposition, methods=["GET"], include_in_schema=False)
    app.add_middleware(RequestMetrics, metrics=metrics)
    return metrics
