"""Asks about the project itself, the PM's whatever their nouns: a decision or a definition to
make, a report on the project (status, scope, roadmap, risks), a message, meeting or agreement
with the people outside the work.
"""

from __future__ import annotations

import re

__all__ = ["is_decision", "is_project_report", "is_stakeholder_message"]


# A report named as the thing wanted ("the COO wants a one-page summary of what happened", "and
# then a one-page status update for the board", "the growers want a roadmap"): someone is to
# write it, though no verb asks; a report spoken of ("the roadmap is a mess") is the situation.
_REPORT_WANTED = re.compile(
    r"^\W*(?:(?:and|then|also|so|plus)\s+)*(?:(?:a|an)\s|[^,;]{0,40}?\b(?:(?:wants?|needs?"
    r"|asked\s+for|expects?)|owes?(?:\s+[\w'’-]+){1,3}?)\s+(?:a|an)\s)",
    re.IGNORECASE,
)


# An ask that asks for a decision or a definition and names it ("Decide which one goes first",
# "someone has to decide if the fix goes ahead of the launch", "nail down what 'on time' means";
# "make the call" names none: it is about what was said before).
_DECIDE = re.compile(
    r"^\W*(?:(?:and|then|also|please|pls|so|just|now|first|finally|before that)\s+)*"
    r"(?:(?:someone|somebody|we|you)\s+(?:has|have|needs?)\s+to\s+|(?:we\s+)?need\s+to\s+"
    r"|(?:can|could)\s+(?:you|someone)\s+)?"
    r"(?:decide|define|agree|settle|sign off|nail down|pin down|prioriti[sz]e|rank|commit"
    r"|approve|choose|pick|scope)\b",
    re.IGNORECASE,
)


def is_decision(clause: str) -> bool:
    """Whether a clause asks for a decision or a definition (whose, its object says).

    Example:
        >>> is_decision("Decide which one goes first"), is_decision("Deploy the decision service")
        (True, False)
    """
    return _DECIDE.match(clause) is not None


# An ask for a report on the project itself: its status, scope, roadmap, milestones, timeline or
# risks. That is the PM's, whatever the nouns that fill it ("a status update on when the shared
# dashboard is ready", "what's out of scope for phase one"); a status the product stores ("filter
# by status", "status codes") or a milestone a feature belongs to ("the API for the first
# milestone") is not one.
_REPORT = re.compile(
    r"\b(?:status\s+(?:updates?|notes?|reports?|summary)"
    r"|(?:a|weekly|monthly|written|short|readiness|one-paragraph|one-page)\s+status\b"
    # a status said for someone or on something is a report; one followed by a noun of the
    # product ("a status filter", "a status resource") is a field the product keeps
    r"(?=\s*$|\s*[.,;:?!)]|\s+(?:for|on|with|of|about|to|by|before|every|each|from|in|that|so"
    r"|and|as|two|three|four)\b)"
    # a page for the people the work is for ("a one-page summary of the decision", "a
    # one-pager with timeline and budget", "a one-page business case for the owners")
    r"|one-pager\b|one-page\s+(?:[\w-]+\s+)?(?:summary|update|plan|scope|case|brief|report|memo"
    r"|overview|status)\b"
    r"|(?:in|out\s+of)\s+scope|scope\b(?!s)|roadmap|milestones|milestone\s+(?:plan|breakdown)"
    r"|risks?\s+(?:register|log)|top\s+(?:\w+\s+)?risks|risks\s+and\s+dependencies"
    r"|(?:the|with)\s+risks\b(?!\s+of\b)|dependency\s+map|cross-team\s+dependencies"
    r"|timeline\b(?!\s+(?:views?|charts?|components?|events?)\b)"
    # a launch, release or ship date wanted is the plan's ("the franchisees want a launch date");
    # rows "by delivery date" name a column
    r"|(?<!\bby\s)(?:launch|go-live|release|ship|delivery)\s+dates?\b"
    # ... and so is a date or a go/no-go someone can pass on ("a realistic date I can give the
    # board", "a go/no-go date for switching"); "a date filter" is a field the product keeps
    r"|(?<=\ba\s)(?:[\w/-]+\s+)?date\b(?=\s*$|\s*[.,;:?!)+]|\s+(?:for|on|by|they|we|i|she|he|you"
    r"|from|when|that|so|and|both|relative|agreed|to|once|based|everyone)\b)|\bgo/no-go\b"
    # what "done" means for the work is its definition of done
    r"|(?:counts|qualifies|is\s+considered)\s+as\s+(?:done|complete|finished)|definition\s+of\s+done)",
    re.IGNORECASE,
)


# The report is what the ask asks for when it comes this early ("list the risks ...", "what's out
# of scope ..."); later, it is one more thing a merged clause asks ("sketch how it would fit
# ..., and a phased roadmap"), and the words before it say whose the clause is.
_REPORT_WITHIN = 4
# ... not counting the word that joins the clause to the one before, nor who wants the report
# ("And the COO wants a one-page summary", "Studio heads want a six-month roadmap")
_JOINED = re.compile(r"^\W*(?:(?:and|then|also|so|plus)\s+)+", re.IGNORECASE)


def is_project_report(clause: str) -> bool:
    """Whether a clause asks for a report on the project (status, scope, roadmap, risks).

    Example:
        >>> is_project_report("a status update on when the dashboard is ready")
        True
        >>> is_project_report("add cursor pagination and filters by status")
        False
        >>> is_project_report("add a status filter to the endpoint")
        False
        >>> is_project_report("purchasing wants a date they can promise the suppliers")
        True
    """
    found = _REPORT.search(clause)
    if found is None:
        return False
    wanted = _REPORT_WANTED.match(clause)
    start = wanted.end() if wanted and wanted.end() <= found.start() else 0
    return len(_JOINED.sub("", clause[start : found.start()]).split()) <= _REPORT_WITHIN


# A message for people outside the work ("let the partners know ...", "tell finance that the
# numbers will shift", "inform the clinics when ..."): whom to tell, what and when is the PM's,
# whatever it is about. "Tell us whether an index fixes it" asks the analysis itself.
_TELL = (
    r"(?:tell|inform|warn|brief|reassure)\s+(?!(?:us|me|you|we|it|them)\b)"
    r"|let\s+(?!(?:us|me|it|them)\b)(?:[\w'’-]+\s+){1,5}?know\b"
    # "send the growers a short note on ...": a note, update or explanation written to people
    r"|(?:send|email)\s+(?!(?:us|me|you|it|them)\b)(?:[\w'’-]+\s+){1,5}?(?:a|an)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:note|explanation|update|message|email|letter|heads-up)\b"
)
# What someone wants to hear about when the work will be done ("the station manager wants to
# hear whether we'll be ready", "sales wants to know if it makes the March release").
_WANTS_DATE = (
    r"\b(?:wants?|needs?|asked|asks)\s+to\s+(?:hear|know)\b(?=.*\b(?:ready|release|launch|ship"
    r"|go(?:es)?\s+live|go-live|slips?|on\s+track|in\s+time|deadline|date)\b)"
)
# A meeting to run: "chair the go/no-go call", "set up the kickoff with support", "run the retro".
_MEETING = (
    r"(?:chair|host|facilitate|run|hold|set\s+up|book|schedule|organi[sz]e)\s+(?:the\s+|a\s+|an\s+)?"
    r"(?:[\w/-]+\s+){0,3}?(?<![\w-])(?:call|meeting|sync|kick-?off|retro(?:spective)?|workshop"
    r"|go/no-go)\b"
)
# An agreement to reach with people ("agree with the director on what counts as a visitor", "get
# merchandising and finance to agree which marts go first", "agree the sunset date with the big
# carriers"): bringing them to it is the PM's. "agree its grain with them" settles the work
# itself with whoever asked.
_NOT_PEOPLE = r"(?!(?:us|me|you|it|them|each other)\b)"
_AGREE = (
    r"(?:agree|align)\s+with\s+"
    + _NOT_PEOPLE
    + r"|get\s+(?:[\w'’-]+\s+){1,6}?to\s+(?:agree|align|sign\s+off)\b"
    + r"|agree\s+(?:on\s+)?(?:a|an|the|our|their)\s+(?:[\w'’/-]+\s+){0,5}?with\s+"
    + _NOT_PEOPLE
)
_MESSAGE = re.compile(
    r"^\W*(?:(?:and|then|also|please|pls|plz|so|just|now|finally)\s+)*"
    r"(?:(?:can|could|would|will)\s+(?:you|someone|somebody"
    # "can we agree with the director ...": we are to reach it with them ("can we tell if ..."
    # asks whether it can be told)
    r"|we(?=\s+(?:also\s+|please\s+)?(?:agree|align|get)\b))\s+(?:also\s+|please\s+)?)?"
    r"(?:" + _TELL + "|" + _MEETING + "|" + _AGREE + r")|" + _WANTS_DATE,
    re.IGNORECASE,
)


def is_stakeholder_message(clause: str) -> bool:
    """Whether a clause asks for a message to people outside the work, a meeting with them, or
    an agreement to reach with them.

    Example:
        >>> is_stakeholder_message("and let the store managers know when it lands")
        True
        >>> is_stakeholder_message("tell us whether an index fixes it")
        False
        >>> is_stakeholder_message("get the growers and the co-op to agree on a picking window")
        True
    """
    return _MESSAGE.search(clause) is not None
