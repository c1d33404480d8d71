"""The kind of question a sentence asks: treatment, cause, susceptibility, prognosis, ...

The kinds are those NLM uses to annotate consumer health questions (TREC 2017 LiveQA medical task),
each recognised by the words people use to ask it ("cure", "get rid of", "what causes", "life
expectancy"). A sentence asks the kind whose words come first in it, else the kind the rest of
its message asks; a message without any such words asks about treatment (`DEFAULT_KIND`: the most
common kind, and the better default on the dev part of the LiveQA messages, bench/liveqa.py).
Each kind also has a plain question about a named focus (`retrieval_question`), searched for when
a message asking several questions is read for them.
"""

from __future__ import annotations

import re

DEFAULT_KIND = "treatment"

# (kind, words that ask it as a regular expression on lower-case text, the question searched for)
_KINDS = (
    ("side effects", r"side[- ]?effects?|adverse (?:effect|reaction)s?", "What are the side effects of {focus}?"),
    ("interaction", r"interact\w*|together with|at the same time as|mix\w* (?:with|it)|combin\w+ with",
     "Can {focus} be taken with other medicines?"),
    ("dosage", r"dos(?:e|es|age)\b|how much (?:should|can|to)|how many (?:mg|tablets|pills)|\bmg\b",
     "What is the dose of {focus}?"),
    ("tapering", r"taper\w*|wean\w* off|come off|stop(?:ping)? taking|withdraw\w*", "How do I stop taking {focus}?"),
    ("storage and disposal", r"\bstor(?:e|ed|age)\b|dispos\w+|expired?", "How should {focus} be stored?"),
    ("ingredient", r"ingredients?|contains?\b|made (?:of|from)", "What does {focus} contain?"),
    ("contraindication", r"safe (?:to|for|during|while)|pregnan\w*|breast ?feeding|allergic to",
     "Who should not take {focus}?"),
    ("inheritance", r"inherit\w*|hereditary|run in (?:the |my )?famil\w+|pass(?:ed)? (?:it |on|down)|genetic\w*",
     "Is {focus} inherited?"),
    ("genetic changes", r"\bgenes?\b|mutation\w*|chromosom\w+", "What are the genetic changes related to {focus}?"),
    ("susceptibility", r"\brisk\b|chances? of|am i likely|contagious|catch (?:it|this)|can (?:i|you|he|she|they) get",
     "Who is at risk for {focus}?"),
    ("prevention", r"prevent\w*|avoid (?:getting|it|this)|protect\w*", "How can {focus} be prevented?"),
    ("prognosis", r"prognosis|life expectancy|outlook|how long (?:will|can|do|does)|surviv\w+|get worse|"
     r"go away|permanent|recover\w*|fatal|terminal|progress\w*", "What is the outlook for {focus}?"),
    ("complication", r"complications?|lead to|damage|long[- ]term effects?", "What are the complications of {focus}?"),
    ("association", r"relat(?:ed|ion\w*)|connect\w*|\blink\w*|associat\w+|correlat\w+|differen\w+",
     "How is {focus} related to other conditions?"),
    ("cause", r"caus\w*|why|reason|due to|what makes|how did (?:i|he|she|it)|trigger\w*", "What causes {focus}?"),
    ("diagnosis", r"diagnos\w+|\btests?\b|testing|screen\w*|detect\w*|how (?:do|can|would) (?:i|you|we) (?:know|tell)|"
     r"find out (?:if|whether)|results?", "How is {focus} diagnosed?"),
    ("symptom", r"symptoms?|signs?\b|feel like|what happens", "What are the symptoms of {focus}?"),
    ("usage", r"how (?:to|do i|should i) (?:use|take|apply)|when (?:to|should i) take|used for|what is it for",
     "How is {focus} used?"),
    ("treatment", r"treat\w*|cures?\b|cured|therap\w+|medic\w+|drugs?\b|remed\w+|surger\w+|operation|relie\w+|"
     r"get rid|manag\w+|help (?:him|her|me|my|with|for)|any help|what (?:can|should) (?:i|we|he|she) do|"
     r"trials?\b|research|studies|options|vaccin\w+|pills?\b|tablets?", "What are the treatments for {focus}?"),
    ("organization", r"doctor|specialist|hospital|clinic|where (?:can|do|should) (?:i|we)|who (?:can|should|do)|"
     r"consult|contact|refer\w*", "Which specialists treat {focus}?"),
    ("information", r"information|\binfo\b|what is|what are|tell me|literature|learn|know more|explain|mean",
     "What is {focus}?"),
)
KINDS = tuple(kind for kind, _, _ in _KINDS)
_CUES = tuple((kind, re.compile(rf"\b(?:{words})")) for kind, words, _ in _KINDS)
_QUESTIONS = {kind: question for kind, _, question in _KINDS}


def question_kind(sentence: str, message: str = "") -> str:
    """The kind of question `sentence` (of `message`) asks, one of `KINDS`: the kind whose words come
    first in the sentence, the earlier kind of `KINDS` on a tie; else the first such kind in the
    whole message; words asking for information in general count only when no other kind is
    asked; `DEFAULT_KIND` when there are none."""
    for text in (sentence, message):
        found = _first_kind(text.lower(), _CUES[:-1])
        if found:
            return found
    return _first_kind(f"{sentence} {message}".lower(), _CUES[-1:]) or DEFAULT_KIND


def _first_kind(text: str, cues: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    found = [(m.start(), order, kind) for order, (kind, cue) in enumerate(cues) if (m := cue.search(text))]
    return min(found)[2] if found else None


def asks_a_kind(words: str) -> bool:
    """Whether `words` are words of asking some kind of question ("treated", "contagious")."""
    return _first_kind(words.lower(), _CUES) is not None


def retrieval_question(kind: str, focus: str) -> str:
    """The plain question of `kind` about `focus` ("What causes {focus}?")."""
    return _QUESTIONS.get(kind, _QUESTIONS[DEFAULT_KIND]).format(focus=focus)
