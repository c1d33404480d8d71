"""The app for `gradio app.py` and `python app.py`: the package's chat and staff search over the index.

`demo` is built on first access (it loads the model and the index), so importing this file loads
nothing; the app itself lives in `qa_web` (`qa_web.server.build_demo`), which `qa-bot serve` serves.
"""

from __future__ import annotations

import gradio as gr

from qa_bot import QABot
from qa_web.server import build_demo, serve


def __getattr__(name: str) -> gr.Blocks:
    """Build `demo` lazily, so importing this module loads no model."""
    if name == "demo":
        bot = QABot.load()
        bot.watch()
        globals()["demo"] = build_demo(bot)
        return globals()["demo"]
    raise AttributeError(name)


if __name__ == "__main__":
    serve(QABot.load())
