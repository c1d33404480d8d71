"""The HTTP API beside the app: ask, search, health and feedback, described by the OpenAPI schema.

Requests are pydantic models that refuse unknown fields, wrong types and over-long text (422, with
FastAPI's list of what is wrong); the library's own refusals become 422 with its message. Every
answer carries the disclaimer, exactly as in the chat.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Request, status
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from qa_bot import Answer, QABot, SearchHit, Settings
from qa_bot.errors import InvalidFeedback, InvalidQuery
from qa_bot.feedback import MAX_COMMENT_CHARS, MAX_QUOTES, QuotedPassage, record
from qa_bot.texts import texts

MAX_QUERY = Settings().max_query_chars
MAX_CONVERSATION = Settings().max_conversation
MAX_SUBJECT = Settings().max_subject_chars
Text = Annotated[str, Field(strict=True, min_length=1, max_length=MAX_QUERY)]
Subject = Annotated[str, Field(strict=True, max_length=MAX_SUBJECT)]


class Strict(BaseModel):
    """Refuse fields the API does not know."""

    model_config = ConfigDict(extra="forbid")


class AskRequest(Strict):
    question: Text = Field(description="The question, as the user typed it.", examples=["What is cerebellar atrophy?"])
    conversation: list[Text] = Field(
        default_factory=list, max_length=MAX_CONVERSATION,
        description="The earlier questions of this conversation, oldest first: a follow-up that names no "
        "topic is answered about theirs. The server keeps no session.",
        examples=[["my MRI says mild cerebellar volume loss what does that mean"]],
    )
    subject: Subject = Field(
        "", description="Optional: the subject line of a message, read as its first sentence (it may be the "
        "only place naming the topic).", examples=["Parkinson"],
    )


class SearchRequest(Strict):
    query: Text = Field(description="Search words.", examples=["balance problems"])
    limit: Annotated[int, Field(strict=True, ge=1, le=50)] = Field(10, description="How many passages, 1 to 50.")
    subject: Subject = Field("", description="Optional: the subject line of a message, read as its first sentence.")


class PassageRef(Strict):
    doc_id: Annotated[str, Field(strict=True, min_length=1, max_length=128)]
    start: Annotated[int, Field(strict=True, ge=0)]
    end: Annotated[int, Field(strict=True, ge=1)]


class FeedbackRequest(Strict):
    question: Text = Field(description="The question that was answered.")
    rating: Literal["up", "down"] = Field(description="Was the answer helpful?")
    comment: Annotated[str, Field(strict=True, max_length=MAX_COMMENT_CHARS)] = Field("", description="Optional.")
    quotes: list[PassageRef] = Field(
        default_factory=list, max_length=MAX_QUOTES, description="The quoted passages (doc_id, start, end)."
    )


class SearchOut(BaseModel):
    query: str = Field(description="The query as the bot read it.")
    passages: list[SearchHit] = Field(
        description="Best first, by `match` (0 to 1: the ranking model's share for the passage among all passages "
        "found; the results' order and the score staff see). `relevance` (0 to 1) decides whether a passage is "
        "listed at all (the relevance floor) and need not fall down the list. Each `text` is a verbatim slice "
        "body[start:end]."
    )


class Health(BaseModel):
    status: Literal["ok"]
    model: str
    index_version: str
    documents: int
    chunks: int
    texts_version: str


class FeedbackOut(BaseModel):
    saved: bool
    when: str


# An answer as JSON, by the serializer FastAPI would use for `response_model=Answer` (the same bytes).
ANSWER_JSON = TypeAdapter(Answer)

REFUSED = {422: {"description": "Invalid request: the detail says what to fix."}}


def api_router(bot: QABot) -> APIRouter:
    """The /api routes over `bot`."""
    router = APIRouter(prefix="/api", tags=["qa_bot"])

    @router.post("/ask", response_model=Answer, responses=REFUSED, summary="Answer a question by quoting documents")
    def ask(request: AskRequest) -> Response:
        answer = bot.ask(request.question, request.conversation, request.subject)
        # Serialised here, in the thread that answered: FastAPI would validate the library's own `Answer`
        # again, in a second trip through the thread pool (bench/perf_notes.md, issue 18).
        return Response(ANSWER_JSON.dump_json(answer), media_type="application/json")

    @router.post("/search", response_model=SearchOut, responses=REFUSED, summary="Ranked passages for a query")
    def search(request: SearchRequest) -> SearchOut:
        results = bot.search(request.query, request.limit, request.subject)
        return SearchOut(query=results.query, passages=list(results.hits))

    @router.get("/health", response_model=Health, summary="Model, index version and counts")
    def health() -> Health:
        stored = bot.stored
        return Health(
            status="ok", model=bot.encoder.name, index_version=stored.version, documents=len(stored.documents),
            chunks=len(stored.manifest.chunks), texts_version=texts().version,
        )

    @router.post(
        "/feedback", response_model=FeedbackOut, status_code=status.HTTP_201_CREATED, responses=REFUSED,
        summary="Rate an answer (stored for maintainers)",
    )
    def feedback(request: FeedbackRequest) -> FeedbackOut:
        quotes = [QuotedPassage(q.doc_id, q.start, q.end) for q in request.quotes]
        # `ask`'s own reading (the examples nearest in meaning too) keeps an emergency's text out of the rating
        entry = record(bot.settings.feedback_dir, request.question, request.rating, quotes, request.comment,
                       bot.stored.version, bot.settings.feedback_retention_days,
                       urgent=bot.safety_check(request.question).urgent)
        return FeedbackOut(saved=True, when=entry.when)

    return router


def add_api(app: FastAPI, bot: QABot) -> None:
    """Add the /api routes, and turn the library's refusals into 422 with their message."""
    app.include_router(api_router(bot))

    async def refused(request: Request, err: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(err)}, status_code=422)

    app.add_exception_handler(InvalidQuery, refused)
    app.add_exception_handler(InvalidFeedback, refused)
