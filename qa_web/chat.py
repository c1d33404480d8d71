"""The patients' chat: answers rendered as HTML (notices, verbatim quotes with citations, the disclaimer)
and the chat tab, a Gradio shell that only renders what `qa_bot` returns."""

from __future__ import annotations

import gradio as gr

from qa_bot import Answer, Document, Notice, QABot, QABotError, Quote
from qa_bot.notices import urgent_first
from qa_bot.texts import texts
from qa_web.chat_feedback import build_feedback, rated_answer
from qa_web.html import escape, source_html

EXAMPLES = [
    "What is cerebellar atrophy?",
    "What are the symptoms of cerebellar atrophy?",
    "How is cerebellar atrophy diagnosed?",
    "Is there a cure for cerebellar atrophy?",
]


def render_answer(answer: Answer, documents: dict[str, Document] | None = None) -> str:
    """HTML for one answer: notices, quotes with their highlighted sentence and citation, disclaimer.

    With `documents`, each citation also says who reviewed the document and when.
    """
    parts = [_render_notice(n) for n in urgent_first(answer.notices)]  # emergency and crisis texts first
    parts += [_render_quote(q, (documents or {}).get(q.doc_id)) for q in answer.quotes]
    parts.append(f'<p class="disclaimer">{escape(answer.disclaimer)}</p>')
    return f'<div class="qa-answer">{"".join(parts)}</div>'


def _render_notice(notice: Notice) -> str:
    if notice.urgent:
        style = "background:#b00020;color:#ffffff;font-weight:700;padding:0.7em 0.9em;border-radius:6px"
        return f'<p class="notice emergency" role="alert" style="{style}">{escape(notice.text)}</p>'
    return f'<p class="notice">{escape(notice.text)}</p>'


def render_error(message: str) -> str:
    """HTML for a question that could not be taken, with the disclaimer as on every answer."""
    return render_answer(Answer(status="no_match", notices=(Notice("input_error", message),)))


def _render_quote(quote: Quote, doc: Document | None) -> str:
    before = quote.text[: quote.highlight.start - quote.start]
    after = quote.text[quote.highlight.end - quote.start :]
    body = f"{escape(before)}<mark>{escape(quote.highlight.text)}</mark>{escape(after)}"
    source = source_html(quote.source)
    review = ""
    if doc:
        review = (
            f" Reviewed by {escape(doc.reviewed_by)} on {escape(doc.reviewed_on)}."
            if doc.reviewed
            else (f" {escape(texts().unreviewed_source)}")
        )
    cite = f"— <strong>{escape(quote.title)}</strong>. Source: {source}.{review}"
    return f'<blockquote>{body}</blockquote><p class="cite">{cite}</p>'


def build_chat(bot: QABot) -> None:
    """The chat with `bot` (with ratings of its answers), laid out in the current Blocks context."""

    def respond(message: str, history: list[dict]) -> tuple[str, list[dict], dict | None]:
        try:
            answer = bot.ask(message)  # an emergency comes back as an Answer even when the input is refused
            reply = render_answer(answer, bot.stored.documents)
            last = rated_answer(" ".join(message.split()), answer)
        except QABotError as err:
            reply, last = render_error(str(err)), None
        turn = [{"role": "user", "content": escape(message or "")}, {"role": "assistant", "content": reply}]
        return "", [*history, *turn], last

    gr.Markdown(
        "## Ask a health question\nAnswers are quoted word for word from vetted documents, "
        "with their source. This is not medical advice."
    )
    chatbot = gr.Chatbot(
        label="Conversation",
        height="68vh",
        min_height=420,
        latex_delimiters=[],
        feedback_options=None,
        buttons=["copy"],
        placeholder="Ask a question below, or pick an example.",
    )
    question = gr.Textbox(
        label="Your question",
        placeholder="For example: What are the symptoms of cerebellar atrophy?",
        submit_btn="Ask",
        max_length=bot.settings.max_query_chars,
        autofocus=True,
    )
    gr.Examples(EXAMPLES, inputs=question, label="Example questions")
    last = gr.State(None)
    build_feedback(bot, last)
    gr.Markdown(f"<small>Texts version {escape(texts().version)}.</small>")
    question.submit(
        respond, [question, chatbot], [question, chatbot, last], api_name="chat", concurrency_limit=4
    )
