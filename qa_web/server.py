"""One server for everything: the HTTP API at /api, the maintainers' page at /admin, the app at /."""

from __future__ import annotations

import gradio as gr
import uvicorn
from fastapi import FastAPI

from qa_bot import QABot
from qa_bot.texts import texts
from qa_web.admin import mount_admin
from qa_web.api import add_api


def create_app(bot: QABot, demo: gr.Blocks, css: str = "") -> FastAPI:
    """A FastAPI app serving the API and, at /, the Gradio `demo` (routes first, so /api wins)."""
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
    return gr.mount_gradio_app(app, demo, path="/", css=css, show_error=False)


def run(app: FastAPI, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve `app` with uvicorn until interrupted (loopback by default)."""
    uvicorn.run(app, host=host, port=port, log_level="warning")
