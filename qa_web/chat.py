"""The patients' chat: answers rendered as HTML (notices, verbatim quotes with citations, the disclaimer)
and the chat tab, a Gradio shell that only renders what `qa_bot` returns."""

from __future__ import annotations

import json
import re

import gradio as gr

from qa_bot import Answer, Document, Notice, QABot, QABotError, Quote
from qa_bot.notices import urgent_first
from qa_bot.texts import texts
from qa_web.chat_feedback import build_feedback, rated_answer
from qa_web.html import COPY_FUNCTION, attribute, escape, source_html

# What the chat sends back to the bot of its own history: the latest questions, each cut short.
MAX_EARLIER = 20
MAX_EARLIER_CHARS = 1000
# Phone numbers in the reviewed emergency texts ("112", "988", "116 123"): shown as they are, tappable.
# A source described in words longer than this shows its first words; the whole line opens on click.
SHORT_SOURCE_CHARS = 60
PHONE = re.compile(r"(?<![\w.])\d{3}(?: \d{3})?(?![\w.])")

# Runs once in the browser. Copies a reply's plain text (the hidden `.qa-plain` beside its button: the
# chat's sanitiser drops data attributes), with a fallback where the Clipboard API is refused. And when
# a reply arrives, scrolls its top into view (not the bottom, as Gradio would), so an emergency box and
# the first quote are what a phone shows first.
CHAT_JS = """
if (!window.qaChat) {
  window.qaChat = true;
  document.addEventListener('click', async (event) => {
    const button = event.target.closest('button.qa-copy');
    if (!button) return;
    const text = button.parentElement.querySelector('.qa-plain').textContent;
    const copied = await qaCopyText(text, button);
    const status = button.parentElement.querySelector('.copy-status');
    status.textContent = copied ? __COPIED__ : __COPY_FAILED__;
  });
  const scroller = el => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const y = getComputedStyle(p).overflowY;
      if ((y === 'auto' || y === 'scroll') && p.scrollHeight > p.clientHeight) return p;
    }
    return null;
  };
  const showTop = reply => {
    let top = reply.closest('.message') || reply;
    const box = scroller(top);
    const asked = reply.closest('.message-row')?.previousElementSibling;  // the question, if it fits too
    if (box && asked?.classList.contains('user-row')
        && top.getBoundingClientRect().top - asked.getBoundingClientRect().top < box.clientHeight / 6) top = asked;
    if (box) {  // below the chat's label, which floats over the top of the conversation
      const label = document.querySelector('#qa-chat [data-testid="block-label"]');
      const under = label ? label.getBoundingClientRect().bottom - box.getBoundingClientRect().top : 0;
      box.scrollTop += top.getBoundingClientRect().top - box.getBoundingClientRect().top - Math.max(under, 0) - 6;
    }
    const y = top.getBoundingClientRect().top;
    if (y < 0 || y > window.innerHeight / 3) window.scrollBy(0, y - 8);
  };
  let seen = 0;
  new MutationObserver(() => {
    const replies = document.querySelectorAll('#qa-chat .qa-answer');
    if (replies.length !== seen && replies.length > 0 && replies.length > seen) {
      const reply = replies[replies.length - 1];
      requestAnimationFrame(() => { showTop(reply); setTimeout(() => showTop(reply), 150); });
    }
    seen = replies.length;
  }).observe(document.body, {childList: true, subtree: true});
}
"""

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
        return f'<p class="notice emergency" role="alert" style="{style}">{_with_phone_links(notice.text)}</p>'
    return f'<p class="notice">{escape(notice.text)}</p>'


def _with_phone_links(text: str) -> str:
    """`text` escaped, its phone numbers as `tel:` links showing exactly the digits of the text."""
    parts, end = [], 0
    for number in PHONE.finditer(text):
        href = number.group().replace(" ", "")
        parts += [escape(text[end : number.start()]), f'<a href="tel:{href}">{escape(number.group())}</a>']
        end = number.end()
    return "".join([*parts, escape(text[end:])])


def plain_answer(answer: Answer) -> str:
    """The answer as plain text, as the chat's copy button gives it: notices, each quote in “…” with
    its title and source, and the disclaimer."""
    parts = [n.text for n in urgent_first(answer.notices)]
    parts += [f"“{q.text}”\n— {q.title}. Source: {q.source}{f' {q.provenance}' if q.provenance else ''}"
              for q in answer.quotes]
    return "\n\n".join([*parts, answer.disclaimer])


def render_reply(answer: Answer, documents: dict[str, Document] | None = None) -> str:
    """A chat reply: the answer's HTML, a button copying it as plain text, and the label of the
    buttons the chat shows under it (the answer's choices or suggestions)."""
    t = texts()
    copy = (  # attribute() keeps the line breaks of the plain text as entities, so the HTML stays one block
        f'<p class="qa-tools"><button type="button" class="qa-copy">{escape(t.copy_answer)}</button>'
        f'<span class="qa-plain">{attribute(plain_answer(answer))}</span>'
        '<span class="copy-status" role="status"></span></p>'
    )
    label = t.did_you_mean if answer.choices else t.you_could_ask if answer.suggestions else ""
    label = f'<p class="qa-options-label">{escape(label)}</p>' if label else ""
    return render_answer(answer, documents) + copy + label


def chat_js() -> str:
    """CHAT_JS with the copy button's messages from texts.toml."""
    t = texts()
    return COPY_FUNCTION + CHAT_JS.replace("__COPIED__", json.dumps(t.copied_answer)).replace(
        "__COPY_FAILED__", json.dumps(t.copy_failed)
    )


def earlier(questions: list[str]) -> list[str]:
    """The questions to pass as a conversation: the latest `MAX_EARLIER`, each cut to `MAX_EARLIER_CHARS`."""
    return [q[:MAX_EARLIER_CHARS] for q in questions[-MAX_EARLIER:]]


def render_error(message: str) -> str:
    """HTML for a question that could not be taken, with the disclaimer as on every answer."""
    return render_answer(Answer(status="no_match", notices=(Notice("input_error", message),)))


def _render_quote(quote: Quote, doc: Document | None) -> str:
    before = quote.text[: quote.highlight.start - quote.start]
    after = quote.text[quote.highlight.end - quote.start :]
    body = f"{escape(before)}<mark>{escape(quote.highlight.text)}</mark>{escape(after)}"
    review = ""  # an unreviewed document is said so once per answer, in its notice
    if quote.provenance:
        review = f" {escape(quote.provenance)}"
    elif doc and doc.reviewed:
        review = f" Reviewed by {escape(doc.reviewed_by)} on {escape(doc.reviewed_on)}."
    cite = f"— <strong>{escape(quote.title)}</strong>. Source: "
    short = _short_source(quote.source)
    if short is None:
        return f'<blockquote>{body}</blockquote><div class="cite">{cite}{source_html(quote.source)}.{review}</div>'
    # the whole citation line is the summary, so the browser keeps it on one line; the full source on expand
    return (f'<blockquote>{body}</blockquote><details class="cite qa-source"><summary>{cite}'
            f'<span class="qa-short">{escape(short)} …</span>{review}</summary>{escape(quote.source)}</details>')


def _short_source(source: str) -> str | None:
    """The first words of a long source description, or None for a link or a short source (shown whole)."""
    short = re.split(r"[,(;:]", source, maxsplit=1)[0].strip()
    if re.fullmatch(r"https?://\S+", source) or len(source) <= SHORT_SOURCE_CHARS or not short:
        return None
    return short if len(short) <= SHORT_SOURCE_CHARS else short[:SHORT_SOURCE_CHARS].rsplit(" ", 1)[0]


def build_chat(bot: QABot) -> None:
    """The chat with `bot` (with ratings of its answers), laid out in the current Blocks context.

    The session's state `asked` holds the raw questions of the chat, oldest first (the chat's history
    holds only their escaped HTML), and the choices or suggestions offered under the last reply:
    `{"questions": [...], "offer": {"options": [...], "question": str, "earlier": [...]} | None}`.
    """

    def turn(shown: str, question: str, conversation: list[str], history: list[dict], questions: list[str]) -> tuple:
        """Ask `question` after `conversation`; the user's turn shows `shown` and is kept as a question."""
        options: tuple[str, ...] = ()
        offer = None
        try:
            answer = bot.ask(question, conversation=conversation)  # an emergency comes back even when refused
            reply = render_reply(answer, bot.stored.documents)
            last = rated_answer(" ".join(question.split()), answer)
            questions = earlier([*questions, shown])
            options = answer.choices or answer.suggestions
            if answer.choices:  # a choice asks the same question again, about the chosen title
                offer = {"options": list(options), "question": question, "earlier": conversation}
            elif options:  # a suggestion is asked as a new question
                offer = {"options": list(options), "question": None, "earlier": None}
        except QABotError as err:
            reply, last = render_error(str(err)), None
        user = {"role": "user", "content": escape(shown or "")}
        bot_turn = {"role": "assistant", "content": reply, "options": [{"value": o} for o in options]}
        return "", [*history, user, bot_turn], last, {"questions": questions, "offer": offer}

    def respond(message: str, history: list[dict], asked: dict | None = None) -> tuple:
        questions = (asked or {}).get("questions", []) if history else []  # a cleared chat starts afresh
        return turn(message, message, earlier(questions), history, questions)

    def pick(history: list[dict], asked: dict | None, evt: gr.SelectData) -> tuple:
        asked = asked or {}
        offer, questions = asked.get("offer"), asked.get("questions", [])
        if not offer or evt.value not in offer["options"]:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if offer["question"] is None:
            return turn(evt.value, evt.value, earlier(questions), history, questions)
        return turn(evt.value, offer["question"], earlier([*offer["earlier"], evt.value]), history, questions)

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
        buttons=[],  # each reply has its own button copying plain text; Gradio's would copy the HTML
        autoscroll=False,  # CHAT_JS shows the top of each new reply instead of the bottom
        placeholder="Ask a question below, or pick an example.",
        elem_id="qa-chat",
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
    asked = gr.State({"questions": [], "offer": None})
    build_feedback(bot, last)
    gr.HTML(f"<small>Texts version {escape(texts().version)}.</small>", js_on_load=chat_js())
    outputs = [question, chatbot, last, asked]
    question.submit(respond, [question, chatbot, asked], outputs, api_name="chat", concurrency_limit=4)
    chatbot.option_select(pick, [chatbot, asked], outputs, api_visibility="private", concurrency_limit=4)
