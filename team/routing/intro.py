"""Who is writing: the introduction a request opens with, which says nothing about whose work it is.

"I'm the practice manager for a chain of vet clinics.", "Support lead at a smart thermostat
company.", "Owner of a theatre costume rental site here." and "From our fundraising director:"
tell who asks. Read as the request's scene, their words (manager, lead, owner, director, company)
are the PM's card words, and an opening sentence counts extra in triage: the request went to the
PM whatever it asked. An introduction is left out of the request's clauses. A note forwarding a
quoted message ("See below from hydrology; can we do this next?") only hands the message on: it is
read as context, and the quoted lines as the text they quote.

This module must not import LangGraph: ``team route`` stays fast.
"""

from __future__ import annotations

import re

from team.routing.text import stems

__all__ = ["forwarding_note", "request_body", "without_introduction"]

# What a writer calls their own job ("practice manager", "IT lead", "CEO", "Finance").
_JOB = (
    r"(?:manager|lead|leader|director|officer|coordinator|owner|co-owner|head|ceo|cto|cfo|coo"
    r"|founder|co-founder|admin|administrator|analyst|chair|secretary|president|treasurer"
    r"|supervisor|organi[sz]er|teacher|principal|volunteer|planner|accountant|finance"
    r"|marketing|operations|ops|support|it|hr|sales)"
)
_HELLO = r"(?:(?:hi|hello|hey|hiya|morning|good morning)(?:\s+(?:all|both|team|there|everyone|folks))?\W+)?"
# The rest of an introduction: a short phrase, no second clause ("... and it keeps failing").
_REST = r"(?:(?!\b(?:and|but|which|that|so|because|it|we)\b)[^,;:?]){0,60}"
# The whole clause introduces the writer.
_WHOLE = re.compile(
    r"^\W*"
    + _HELLO
    + r"(?:"
    +
    # "I'm the practice manager for a chain of vet clinics", "we're a small charity"
    r"(?:i['’]?m|i am)\s+(?:the|a|an|one of the)\s+(?:[\w'’-]+\s+){0,3}?"
    + _JOB
    + r"\b"
    + _REST
    +
    # "I manage transport for the school district", "I own four dance studios"
    r"|i\s+(?:manage|run|own|head|coordinate|oversee)\s+(?!(?:it|this|that)\b)"
    r"(?![^,;:?]*\b(?:jobs?|scripts?|pipelines?|quer(?:y|ies)|tests?|migrations?|builds?|deploy\w*"
    r"|clusters?|servers?|services?|dags?|models?|reports?|databases?)\b)"
    + _REST
    +
    # "Support lead at a smart thermostat company", "Finance at a cruise line"
    r"|(?:[\w'’-]+\s+){0,3}?"
    + _JOB
    + r"\s+(?:at|of|for)\s+(?:a|an|the|our)\s+"
    + _REST
    +
    # "Owner of a theatre costume rental site here", "Coffee cooperative here"
    r"|(?![^,;:?]*\b(?:is|are|was|were|be|been|it|goes|go|went)\b)[^,;:?]{1,60}\s+here"
    r")\W*$",
    re.IGNORECASE,
)
# A header that names who the request comes from ("From our herd manager:", "Escalation from a
# law firm client:", "From: Lounge Experience Lead"): what follows the colon is the request.
_FROM = re.compile(
    r"^\W*(?:(?:message|note|question|request|escalation|email|forwarded|ask)\s+)?from\b"
    r"(?:\s*:\s*[^,;:?.]{1,50}\W*$|[^,;:?.]{1,50}:\s*)",
    re.IGNORECASE,
)


def without_introduction(part: str) -> str:
    """``part`` without the writer's introduction: empty when the part only introduces the
    writer, the rest after a "From ...:" header, else ``part`` unchanged.

    Example:
        >>> without_introduction("Hi, I'm the practice manager for a chain of vet clinics.")
        ''
        >>> without_introduction("From our herd manager: the collars send counts every hour")
        'the collars send counts every hour'
        >>> without_introduction("I manage the deploy pipeline and it keeps failing")
        'I manage the deploy pipeline and it keeps failing'
    """
    if _WHOLE.match(part):
        return ""
    found = _FROM.match(part)
    return part[found.end() :] if found else part


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def request_body(text: str) -> str:
    """``text`` without the introductions it opens with (``without_introduction``, sentence by
    sentence until one says more), or ``text`` itself when nothing else is left.

    Example:
        >>> request_body("Support lead at a thermostat company. Please keep users signed in.")
        'Please keep users signed in.'
    """
    body = text.strip()
    start = 0
    cuts = [(cut.start(), cut.end()) for cut in _SENTENCE.finditer(body)]
    for end, after in [*cuts, (len(body), len(body))]:
        rest = without_introduction(body[start:end])
        if rest:
            # what follows keeps its line breaks: a list's items stay apart from its title
            return rest + body[end:]
        start = after
    return text


# A line of a quoted message: "> ...", ">> ..." or "> > ...", the marker only at a line's start.
_QUOTED = re.compile(r"^[ \t]*>(?:[ \t]*>)*[ \t]?", re.MULTILINE)
# What points at the message below ("See below from hydrology", "Forwarded from quality", "Note
# below", "See the note from ...", "Passing this on", "FYI", "From our IT lead").
_POINTS = re.compile(
    r"\b(?:see|note|message)\b[^;,:?]*\bbelow\b|^\W*below\b|\bforward(?:ed|ing)\b"
    r"|\bsee\s+the\s+(?:note|message|mail|email)\b"
    r"|\bpassing\s+(?:this|it)\s+on\b|\bfyi\b|^\W*from\b",
    re.IGNORECASE,
)
# The pieces of a note: "See below from hydrology; can we do this next?" points, then asks.
_NOTE_PIECE = re.compile(r"(?<=[.!?;,:])\s+|\s+-\s+|\n+")
# A piece that does not point says this much (content stems) at most when it only hands the
# message on: "can we help?", "thoughts?", "Doable this month?", "Can we help the lab manager with
# this?".
_HANDED_ON = 2


def forwarding_note(text: str) -> tuple[str, str]:
    """A request that forwards a quoted message ("> " lines), cut into its forwarding note and
    the message read without its quote markers. The note is what stands above the quote when it
    only points at it and hands it on ("See below from hydrology; can we do this next?"): it asks
    nothing the message does not, so it is context. A note that asks work of its own ("See
    below. Also add a canary stage") is kept in the message; a request that quotes nothing is
    all message.

    Example:
        >>> forwarding_note("See below; can we staff this?\\n> Please cache the search results.")
        ('See below; can we staff this?', 'Please cache the search results.')
        >>> forwarding_note("See below. Also add a canary stage.\\n> The deploys fail.")
        ('', 'See below. Also add a canary stage.\\nThe deploys fail.')
    """
    first = _QUOTED.search(text)
    if first is None:
        return "", text
    note, message = text[: first.start()].strip(), _QUOTED.sub("", text[first.start() :])
    pieces = [p for p in _NOTE_PIECE.split(note) if p.strip()]
    if any(_POINTS.search(p) for p in pieces) and all(
        _POINTS.search(p) or len(stems(p)) <= _HANDED_ON for p in pieces
    ):
        return note, message
    return "", _QUOTED.sub("", text)
