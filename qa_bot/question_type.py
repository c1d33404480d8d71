"""The kind of question a sentence asks: treatment, cause, susceptibility, prognosis, ...

The kinds are those NLM uses to annotate consumer health questions (TREC 2017 LiveQA medical task),
each recognised by the words people use to ask it ("cure", "get rid of", "what causes", "life
expectancy"). A sentence asks the kind whose words come first in it, else the kind the rest of
its message asks; a message without any such words asks about treatment (`DEFAULT_KIND`: the most
common kind, and the better default on the dev part of the LiveQA messages, bench/liveqa.py).
"""

from __future__ import annotations

import re

DEFAULT_KIND = "treatment"

# (kind, words that ask it as a regular expression on lower-case text)
_KINDS = (
    ("side effects", r"side[- ]?effects?|adverse (?:effect|reaction)s?"),
    ("interaction", r"interact\w*|together with|at the same time as|mix\w* (?:with|it)|combin\w+ with"),
    ("dosage", r"dos(?:e|es|age)\b|how much (?:should|can|to)|how many (?:mg|tablets|pills)|\bmg\b"),
    ("tapering", r"taper\w*|wean\w* off|come off|stop(?:ping)? taking|withdraw\w*"),
    ("storage and disposal", r"\bstor(?:e|ed|age)\b|dispos\w+|expired?"),
    ("ingredient", r"ingredients?|contains?\b|made (?:of|from)"),
    ("contraindication", r"safe (?:to|for|during|while)|pregnan\w*|breast ?feeding|allergic to"),
    ("inheritance", r"inherit\w*|hereditary|run in (?:the |my )?famil\w+|pass(?:ed)? (?:it |on|down)|genetic\w*"),
    ("genetic changes", r"\bgenes?\b|mutation\w*|chromosom\w+"),
    ("susceptibility", r"\brisk\b|chances? of|am i likely|contagious|catch (?:it|this)|can (?:i|you|he|she|they) get"),
    ("prevention", r"prevent\w*|avoid (?:getting|it|this)|protect\w*"),
    ("prognosis", r"prognosis|life expectancy|outlook|how long (?:will|can|do|does)|surviv\w+|get worse|"
     r"go away|permanent|recover\w*|fatal|terminal|progress\w*"),
    ("complication", r"complications?|lead to|damage|long[- ]term effects?"),
    ("association", r"relat(?:ed|ion\w*)|connect\w*|\blink\w*|associat\w+|correlat\w+|differen\w+"),
    ("cause", r"caus\w*|why|reason|due to|what makes|how did (?:i|he|she|it)|trigger\w*"),
    ("diagnosis", r"diagnos\w+|\btests?\b|testing|screen\w*|detect\w*|how (?:do|can|would) (?:i|you|we) (?:know|tell)|"
     r"find out (?:if|whether)|results?"),
    ("symptom", r"symptoms?|signs?\b|feel like|what happens"),
    ("usage", r"how (?:to|do i|should i) (?:use|take|apply)|when (?:to|should i) take|used for|what is it for"),
    ("treatment", r"treat\w*|cures?\b|cured|therap\w+|medic\w+|drugs?\b|remed\w+|surger\w+|operation|relie\w+|"
     r"get rid|manag\w+|help (?:him|her|me|my|with|for)|any help|what (?:can|should) (?:i|we|he|she) do|"
     r"trials?\b|research|studies|options|vaccin\w+|pills?\b|tablets?"),
    ("organization", r"doctor|specialist|hospital|clinic|where (?:can|do|should) (?:i|we)|who (?:can|should|do)|"
     r"consult|contact|refer\w*"),
    ("information", r"information|\binfo\b|what is|what are|tell me|literature|learn|know more|explain|mean"),
)
KINDS = tuple(kind for kind, _ in _KINDS)
_CUES = tuple((kind, re.compile(rf"\b(?:{words})")) for kind, words in _KINDS)


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

