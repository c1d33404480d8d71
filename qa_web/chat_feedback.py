"""Thumbs up or down, with an optional comment, on the chat's last answer (stored by qa_bot.feedback)."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from qa_bot import Answer, QABot
from qa_bot.errors import InvalidFeedback
from qa_bot.feedback import MAX_COMMENT_CHARS, QuotedPassage, record
from qa_web.html import escape

THANKS = "Thank you: your rating was saved for the maintainers, with the question and the quoted passages."
ASK_FIRST = "Ask a question first, then rate its answer."
ICONS = Path(__file__).with_name("icons")


def rated_answer(question: str, answer: Answer) -> dict:
    """What a rating of this answer refers to, kept in the chat session until the next question; `urgent`
    (the answer carried an emergency or crisis notice) keeps the question's text out of the rating."""
    urgent = any(notice.urgent for notice in answer.notices)
    return {"question": question, "quotes": [[q.doc_id, q.start, q.end] for q in answer.quotes], "urgent": urgent}


def rate(bot: QABot, rating: str, last: dict | None, comment: str) -> tuple[str, str]:
    """Store a rating of the last answer; returns the cleared comment box and a message for the user."""
    if not last:
        return comment, ASK_FIRST
    quotes = [QuotedPassage(*q) for q in last["quotes"]]
    try:
        record(
            bot.settings.feedback_dir, last["question"], rating, quotes, comment or "", bot.stored.version,
            bot.settings.feedback_retention_days, urgent=bool(last.get("urgent")),
        )
    except InvalidFeedback as err:
        return comment, escape(str(err))
    return "", THANKS


def build_feedback(bot: QABot, last: gr.State) -> None:
    """The rating controls for the answer held in `last`, laid out in the current Blocks context."""
    with gr.Group(elem_id="chat-feedback"):
        gr.Markdown("**Was the last answer helpful?**", padding=True)
        comment = gr.Textbox(
            label="Comment on the last answer (optional)", max_length=MAX_COMMENT_CHARS,
            placeholder="What was missing or unclear? Please do not include names or contact details.",
        )
        with gr.Row():
            helpful = gr.Button("Helpful", icon=str(ICONS / "thumb-up.svg"), elem_id="rate-up")
            unhelpful = gr.Button("Not helpful", icon=str(ICONS / "thumb-down.svg"), elem_id="rate-down")
    thanks = gr.Markdown("", elem_id="feedback-status")
    for button, rating in ((helpful, "up"), (unhelpful, "down")):
        button.click(
            lambda last, text, rating=rating: rate(bot, rating, last, text),
            [last, comment], [comment, thanks], api_name=f"rate_{rating}",
        )
