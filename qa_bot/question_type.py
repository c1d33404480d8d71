"""The kind of question a sentence asks: treatment, cause, susceptibility, prognosis, ...

The kinds are those NLM uses to annotate consumer health questions (TREC 2017 LiveQA medical task),
each recognised by the words people use to ask it ("cure", "get rid of", "what causes", "life
expectancy"). A sentence asks the kind whose words come first in it, else the kind its subject
line or the rest of its message asks; a message without any such words asks about treatment
(`DEFAULT_KIND`: the most common kind, and the better default on the dev part of the LiveQA
messages, bench/liveqa.py). Words that also tell a story are read only in their asking forms:
"diagnosis" or "how is it diagnosed", not "I was diagnosed with"; "what causes", not "caused by
surgery"; "which doctor", not "my doctor said". Asking for help or for information in general
("please help me", "send me information") is a kind only when nothing more particular is asked.
The cues were written from the dev part of those messages (kind agreement 53% -> 68% there).
"""

from __future__ import annotations

import re

DEFAULT_KIND = "treatment"

# (kind, words that ask it as a regular expression on lower-case text)
_KINDS = (
    ("side effects", r"side[- ]?effects?|adverse (?:effect|reaction)s?"),
    ("interaction", r"interact\w*|together with|at the same time as|mix\w* (?:with|it)|combin\w+ with"),
    ("dosage", r"dos(?:e|es|age)\b|how much (?:should|can|to)|how many (?:mg|tablets|pills)|\d* ?mg\b|how strong"),
    ("tapering", r"taper\w*|wean\w* off|come off|stop(?:ping)? taking|withdraw\w*"),
    ("storage and disposal", r"\bstor(?:e|ed|age)\b|dispos\w+|expir\w+|outdated|out of date"),
    ("indication", r"benefits? (?:from|of) (?:taking|using)|(?:used|prescribed) for\b"),
    ("ingredient", r"ingredients?|contains?\b|made (?:of|from)"),
    ("contraindication", r"safe (?:to|for|during|while)|pregnan\w*|breast ?feeding|allergic to"),
    ("inheritance", r"inherit\w*|hereditary|run in (?:the |my )?famil\w+|pass(?:ed)? (?:it |on|down)|genetic\w*"),
    ("genetic changes", r"\bgenes?\b|mutation\w*|chromosom\w+"),
    ("susceptibility", r"\brisk\b|chances? of|am i likely|likelihood|probability|contagious|catch (?:it|this)|"
     r"can (?:\w+ ){0,3}get\b(?! rid| help| better| it from| (?:a|an|the|some|any|me|my|him|her|it done)\b)"),
    ("prevention", r"prevent\w*|avoid (?:getting|it|this)|protect\w*"),
    ("prognosis", r"prognosis|life expectancy|outlook|how long (?:will|can|do|does)|surviv\w+|get worse|"
     r"go away|permanent|recover\w*|fatal|terminal|progress\w*|be worried|serious\b|dangerous|live (?:for )?long"),
    ("complication", r"complications?|lead to|damage|long[- ]term effects?"),
    ("association", r"relat(?:ed|ion\w*)|connect\w*|\blink\w*|associat\w+|correlat\w+|differen\w+|"
     r"anything to do with|affect(?:s|ed)?\b|effects? (?!of)\w+ing"),
    ("cause", r"caus(?:e|es|ing)\b|(?:is|are|was|were|be|being|what) (?:\w+ )?caused|why|reasons?\b|what makes|"
     r"how did (?:i|he|she|it)|trigger\w*|where does it come from"),
    ("diagnosis", r"diagnos(?:is|e|ing)\b|how (?:is|are|was|do|can) [\w ]{0,30}diagnosed|\btests?\b|testing|"
     r"screen\w*|detect\w*|how (?:do|can|would) (?:i|you|we) (?:know|tell|determine)|find out (?:if|whether)|"
     r"results?|determine (?:if|whether)"),
    ("symptom", r"symptoms?|signs?\b|feel like|what happens"),
    ("usage", r"how (?:to|do i|should i) (?:use|take|apply)|when (?:to|should i) take|used for|what is it for"),
    ("treatment", r"treat\w*|cures?\b|cured|therap\w+|medic\w+|drugs?\b|remed\w+|surger\w+|operation|relie\w+|"
     r"get rid|manag\w+|what (?:can|should) (?:i|we|he|she) do|what (?:is|can be) done|overcome|"
     r"what (?:foods?|should (?:i|we|he|she)|can (?:i|we|he|she)|to) eat|diet\b|lower (?:it|my|his|her)|improve|"
     r"trials?\b|research|studies|options|vaccin\w+|pills?\b|tablets?"),
    ("organization", r"(?:which|what|a|any|good|best|the right) (?:kind of |type of )?(?:doctor|specialist|physician|"
     r"psychiatrist|hospital|clinic|laborator\w+|center|centre)s?\b|specialists?\b|specialty|"
     r"where (?:can|do|should|could) (?:i|we)|who (?:can|should|do)|whom|consult|refer\w*|point me|"
     r"rec+om+end (?:a|an|some|any)\b"),
    ("treatment", r"help (?:him|her|me|my|us|with|for)|any help|suggest\w*|advi[cs]e"),
    ("information", r"information|\binfo\b|what is|what are|tell me|literature|learn|know more|explain|mean|"
     r"mail me|send (?:me|us)|pamphlets?|pamplets?|brochures?|stuff on|anything about|something about|"
     r"enlighten\w*|enlightment|resources"),
)
KINDS = tuple(dict.fromkeys(kind for kind, _ in _KINDS))
_CUES = tuple((kind, re.compile(rf"\b(?:{words})")) for kind, words in _KINDS)
WEAK_CUES = 2  # the last cues (asking for help, for information) count only where no other kind is asked


def question_kind(sentence: str, message: str = "", subject: str = "") -> str:
    """The kind of question `sentence` (of `message`, under its `subject` line) asks, one of `KINDS`:
    the kind whose words come first in the sentence (the earlier kind of `KINDS` on a tie), else in
    the subject, else in the message; words only asking for help or for information (the last
    `WEAK_CUES` cues) count only when no other kind is asked; `DEFAULT_KIND` when there are none."""
    texts = (sentence, subject, message)
    for text in texts:
        found = _first_kind(text.lower(), _CUES[:-WEAK_CUES])
        if found:
            return found
    for text in texts:
        found = _first_kind(text.lower(), _CUES[-WEAK_CUES:])
        if found:
            return found
    return DEFAULT_KIND


def _first_kind(text: str, cues: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    found = [(m.start(), order, kind) for order, (kind, cue) in enumerate(cues) if (m := cue.search(text))]
    return min(found)[2] if found else None


def asks_a_kind(words: str) -> bool:
    """Whether `words` are words of asking some kind of question ("treated", "contagious")."""
    return _first_kind(words.lower(), _CUES) is not None

