"""The kinds of health information a question asks for and a passage gives (overview, symptoms,
causes, ... research), in reviewed phrasings the ranker embeds once per model (`phrase_vectors`)."""

from __future__ import annotations

import numpy as np

# Kinds of health information, each in clinical and in plain words; a text's aspect profile is
# its similarity to each kind (several phrasings are averaged into one vector per kind).
ASPECTS = (
    ("what the condition is: a description and overview of the disease", "what is it, what does it mean"),
    (
        "signs and symptoms: what people with the condition experience and the health problems it causes",
        "how will it affect me, what are the signs, what problems does it cause, what does it feel like",
    ),
    ("causes: what causes the condition and why it happens", "why did I get it, what leads to it, what can cause it"),
    ("genes and mutations: changes in genes that cause the disorder", "which gene is changed"),
    (
        "inheritance: how the condition is passed down in families from parents to children",
        "is it hereditary, can my children get it from me, does it run in families",
    ),
    ("how common the condition is: how many people are affected", "how rare is it, how many people have it"),
    (
        "diagnosis: tests and exams doctors use to find out whether someone has the condition",
        "how do doctors find out if I have it, which test shows it",
    ),
    (
        "treatment: therapies, medicines, surgery and management of the condition",
        "how is it treated, can it be cured, what can I do about it, does therapy or medicine help",
    ),
    (
        "outlook and prognosis: what to expect and how the condition progresses over time",
        "will it get worse, what is the life expectancy, will I recover",
    ),
    ("prevention: how to avoid the condition or lower the risk", "how can I avoid getting it"),
    ("research and clinical trials studying the condition", "are there studies or trials I can join"),
)

# Other things patients ask about a condition, in their words: with the kinds above they tell a
# follow-up question ("how fast does it progress?") from a question on another subject
# (`Ranker.aspect_match`); they play no part in the order.
ASKED_ALSO = (
    "how fast does it progress, how quickly does it get worse over time",
    "is it dangerous or fatal, can you die from it, how long do people live with it",
    "how will it affect my daily life, can I still work, drive, walk or live on my own",
    "what kind of doctor or specialist treats it, who should I see about it",
    "will I need a wheelchair or help at home, will I become disabled",
    "is it contagious, can I catch it or pass it on",
)

# The least share of "overview" in the aspect profile of a passage that says what its subject is; chosen
# on the dev parts of bench/library (MedQuAD) and bench/patients: 0.3 gave 0.815 passage_hit1 (0.799 without)
# and lost no patients' turn, 0.5 and 0.7 gave 0.823 and 0.831 but lost a follow-up turn.
DEFINITION_SHARE = 0.3

# A short name for each kind above, in the same order (texts.toml's suggestion templates use them).
ASPECT_NAMES = (
    "overview", "symptoms", "causes", "genes", "inheritance", "frequency", "diagnosis", "treatment", "outlook",
    "prevention", "research",
)


def as_overview(profiles: np.ndarray, defining: np.ndarray) -> np.ndarray:
    """Aspect profiles with at least `DEFINITION_SHARE` on "overview" for the defining rows, the rest
    scaled down in proportion (each profile still sums to 1)."""
    overview = ASPECT_NAMES.index("overview")
    lifted = np.maximum(profiles[:, overview], DEFINITION_SHARE)
    scale = (1 - lifted) / np.maximum(1 - profiles[:, overview], 1e-6)
    out = np.where(defining[:, None], profiles * scale[:, None], profiles)
    out[:, overview] = np.where(defining, lifted, profiles[:, overview])
    return out.astype(np.float32)
