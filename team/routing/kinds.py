"""Kinds of ask whose owner their kind of work decides, not the nouns of their object.

An ask is scored by the words it shares with each card, so an ask that says little of its own
goes to whichever card shares a noun with it: "put them in order of what matters most" went to the
Performance Engineer of the slow pages it was about, "give us a ranked list of what to fix" went
to the PM, whose card ranks things. These kinds are read here:

- a *priority*: what matters most, what goes first, what to drop, must-haves against
  nice-to-haves. Weighing work against work by its worth to the people it is for is the PM's,
  whatever the work is;
- a *verdict*: the conclusion of the analysis asked just before it (a ranked list of fixes, a
  recommendation with reasons, "make the call"). It is the analyst's, so it is read with the ask
  it concludes; so is an ask for more of the same deliverable ("Include signing ...");
- *success criteria*: what the work must do and how we will know it works, the PM's;
- an *input check*: what an endpoint or an API takes, validated or rejected. Its nearest labelled
  asks by meaning are checks on a table's values ("add a check so a bad day doesn't wipe the
  table"), so the card words, which name the interface, tell its owner.

This module must not import LangGraph: ``team route`` stays fast.
"""

from __future__ import annotations

import re

__all__ = [
    "is_input_check",
    "is_part_of_previous",
    "is_priority",
    "is_success_criteria",
    "is_verdict",
]

_PRIORITY = re.compile(
    # "in order of what matters most", "whether X or Y matters more this term", "which three
    # diagnostics matter most" (but "which of these matters most?" after an analysis asks which
    # finding weighs most: the analyst's)
    r"\bin\s+order\s+of\s+(?:what\s+matters\s+most|importance|priority|value)\b"
    r"|\bmatters?\s+more\b"
    r"|\bwhich\s+(?:two|three|four|five|\d+)\s+(?:[\w-]+\s+){0,2}?matter\s+most\b"
    # "tell me what we drop if we only get two done", "propose what to drop"
    r"|\bwhat\s+(?:we|to|we'd|we\s+should)\s+(?:drop|cut|defer|park|leave\s+out)\b"
    r"|\bmust-haves?\b|\bnice-to-haves?\b"
    # "sort them into what we do this month, next month and not at all"
    r"|\b(?:this|next)\s+(?:month|quarter|sprint|term),\s+(?:next|the\s+one\s+after)\b",
    re.IGNORECASE,
)


# What the work must do and how we will know it works are its requirements and its success
# criteria ("write down what it must do and how we'll know it's working", "define how we'll
# know it worked", "pick the metrics we should judge it by"): the PM's, whatever the work is.
_SUCCESS = re.compile(
    r"\bhow\s+(?:we'?ll|we\s+will|we'?d|we\s+would|do\s+we|would\s+we)\s+(?:know|tell)\s+"
    r"(?:(?:if|that|whether)\s+)?(?:it'?s|it\s+is|it)\s+(?:working|worked|done|succeeded|a\s+success)"
    r"|\bhow\s+(?:we'?ll|we\s+will|we'?d|we\s+would|do\s+we|would\s+we)\s+know\s+"
    r"(?:(?:if|that|whether|when)\s+)?we(?:'ve|\s+have)?\s+(?:got|get|gotten|made|hit|reached)\s+"
    r"(?:there|it)\b"
    r"|\b(?:write\s+down|define|agree\s+on|pin\s+down|spell\s+out)\s+what\s+(?:[\"'\w-]+\s+){1,3}?"
    r"(?:actually\s+|really\s+)?means\b"
    r"|\bwhat\s+it\s+(?:must|has\s+to|needs\s+to)\s+do\b"
    r"|\bjudge\s+it\s+(?:by|against)\b",
    re.IGNORECASE,
)


def is_success_criteria(clause: str) -> bool:
    """Whether a clause asks what the work must do or how we will know it works (the PM's).

    Example:
        >>> is_success_criteria("write down what it must do and how we'll know it's working")
        True
        >>> is_success_criteria("write down what faster actually means and how we'd know we got there")
        True
        >>> is_success_criteria("measure it against just showing the top sellers")
        False
        >>> is_success_criteria("find out what this error actually means")
        False
    """
    return _SUCCESS.search(clause) is not None


def is_priority(clause: str) -> bool:
    """Whether a clause asks to weigh pieces of work by what they are worth (the PM's).

    Example:
        >>> is_priority("put them in order of what matters most and explain your reasoning")
        True
        >>> is_priority("rank what's costing the most"), is_priority("which of these matters most?")
        (False, False)
    """
    return _PRIORITY.search(clause) is not None


_VERDICT = re.compile(
    r"^\W*(?:(?:and|then|also|please|pls|so|just|finally|after\s+that)\s+)*"
    r"(?:(?:can|could|would)\s+(?:you|someone)\s+|(?:i|we)\s+(?:need|want|'d\s+like)\s+"
    r"|need\s+)?"
    r"(?:(?:give|send|get|produce|write|draft|put\s+together)\s+(?:us\s+|me\s+)?)?"
    r"(?:"
    # "a ranked list of what to fix", "a ranked remediation plan", "a ranked call"
    r"(?:a|the|that|your)\s+ranked\s+\w+"
    # "a recommendation with the reasoning", "that recommendation with the 3-year cost"
    r"|(?:a|the|that|your)\s+recommendation\b"
    # "make the call and write down why", "compare the two and pick one"
    r"|make\s+the\s+call\b(?!\s+(?:on|about)\b)"
    r"|(?:compare\s+(?:the\s+two|them|both)\s+and\s+)?pick\s+one\b"
    # "... and write down why", "explain your reasoning": the reasons for what was just asked
    r"|(?:write\s+down|explain|document|say)\s+(?:why|(?:the|your|our)\s+reason(?:s|ing))\b"
    # "rank the hotspots", "rank what's costing the most": the findings just asked for (a
    # backlog or a list of features is work to weigh: a priority)
    r"|rank\s+(?:them|these|those|what\b"
    r"|the\s+(?:hotspots|findings|fixes|causes|bottlenecks|offenders|options|results)\b)"
    r")",
    re.IGNORECASE,
)
# A verdict says little of its own: a clause of more content words names work of its own.
VERDICT_WORDS = 8


# "Include signing so customers can verify them": more of what the ask before asked for
_PART_OF = re.compile(r"^\W*(?:(?:and|also|please|pls|then)\s+)*(?:also\s+)?include\b", re.I)


def is_part_of_previous(clause: str) -> bool:
    """Whether a clause asks for more of what the ask before it asked for ("Include signing
    ..."): it is that ask's owner's.

    Example:
        >>> is_part_of_previous("Include signing so customers can verify them")
        True
        >>> is_part_of_previous("The report should include refunds")
        False
    """
    return _PART_OF.match(clause) is not None


def is_verdict(clause: str, *, content: int) -> bool:
    """Whether a clause asks for the conclusion of the analysis asked before it: a ranked list,
    a recommendation, a call; ``content`` is the clause's number of content words.

    Example:
        >>> is_verdict("give us a ranked list of what to fix", content=3)
        True
        >>> is_verdict("rank group walks, in-app tipping and a cat-sitting pilot", content=9)
        False
    """
    return content <= VERDICT_WORDS and _VERDICT.match(clause) is not None


# What an interface takes, checked: "the endpoint accepts negative days and needs input
# validation", "reject bad payloads with a 400". All 22 spent asks that say it are the Backend
# Architect's; a check on a dataset's values names no endpoint, API, payload or input.
_INTERFACE = re.compile(
    r"\b(?:endpoints?|apis?|payloads?|request\s+bod(?:y|ies)|inputs?)\b", re.IGNORECASE
)
_CHECKED = re.compile(r"\b(?:validat\w*|reject\w*)", re.IGNORECASE)


def is_input_check(clause: str) -> bool:
    """Whether a clause asks to validate or reject what an endpoint or an API takes.

    Example:
        >>> is_input_check("The tide-table endpoint accepts negative days and needs validation.")
        True
        >>> is_input_check("add a check so a bad day doesn't wipe the table")
        False
        >>> is_input_check("validate the model on last winter's data")
        False
    """
    return _INTERFACE.search(clause) is not None and _CHECKED.search(clause) is not None
