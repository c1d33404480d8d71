"""One server for everything: the HTTP API at /api, the maintainers' page at /admin, the app at /,
health at /livez and /readyz, metrics at /metrics."""

from __future__ import annotations

from pathlib import Path

import gradio as gr
import uvicorn
from fastapi import FastAPI

from qa_bot import QABot
from qa_bot.logging_setup import configure_logging
from qa_bot.texts import texts
from qa_web.admin import mount_admin
from qa_web.api import add_api
from qa_web.chat import build_chat
from qa_web.health import DrainingServer, add_health
from qa_web.limits import bound_requests
from qa_web.metrics import add_metrics
from qa_web.search_view import build_search

# The app's one stylesheet, shipped in the package beside this module.
CSS = Path(__file__).with_name("style.css").read_text(encoding="utf-8")


def build_demo(bot: QABot) -> gr.Blocks:
    """The app for `bot`: the patients' chat (with ratings) and the staff's search, in tabs."""
    with gr.Blocks(title="qa_bot — answers quoted from vetted health documents") as demo:
        with gr.Tab("Chat", id="chat"):
            build_chat(bot)
        with gr.Tab("Search (staff)", id="search"):
            build_search(bot)
    return demo


def create_app(bot: QABot, demo: gr.Blocks) -> FastAPI:
    """A FastAPI app serving the API and, at /, the Gradio `demo` with the app's CSS (routes first, so /api wins)."""
    app = FastAPI(
        # No Swagger or ReDoc pages: their assets come from a CDN, and qa_bot runs offline.
        docs_url=None,
        redoc_url=None,
        title="qa_bot",
        version=texts().version,
        description="Answers health questions only by quoting vetted documents word for word, "
        "always with a disclaimer. Not medical advice.",
    )
    add_api(app, bot)
    mount_admin(app, bot.settings)
    app.state.readiness = add_health(app, bot)  # /livez, /readyz
    add_metrics(app, bot)  # /metrics, and a log line per request
    # No run history: it would keep what patients typed in their browser.
    gr.mount_gradio_app(app, demo, path="/", css=CSS, show_error=False, run_history=False)
    return bound_requests(app, bot.settings)


def run(app: FastAPI, host: str = "127.0.0.1", port: int = 7860, grace_s: float = 30.0, drain_s: float = 0.5) -> None:
    """Serve `app` with uvicorn until SIGTERM or SIGINT (loopback by default), then take in for `drain_s`
    seconds the requests already sent and finish the requests in flight, waiting up to `grace_s` seconds."""
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                            timeout_graceful_shutdown=grace_s)
    DrainingServer(config, app.state.readiness, drain_s).run()


def serve(bot: QABot, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve on `host:port`: the app at /, the HTTP API at /api (see /openapi.json), /admin with a password,
    /livez, /readyz and /metrics; log lines as `Settings.log_format` says."""
    configure_logging(bot.settings.log_format)
    run(create_app(bot, build_demo(bot)), host=host, port=port, grace_s=bot.settings.shutdown_grace_s,
        drain_s=bot.settings.shutdown_drain_s)
