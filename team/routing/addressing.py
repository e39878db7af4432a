"""Whom a clause is put to: a role named by a name a team may use for it ("DevOps: ...", "can data
pick it up", "PM to draft the FAQ").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from team.routing.sentences import _VERB
from team.routing.text import stems

# Who is addressed, by a name a team may use for a role: "DevOps: ...", "Backend, please ...",
# "q for arch:" at a sentence's start (for the rest of the sentence); "can data pick it up",
# "ML please check", "need product to decide", "@pm can u ..." (for that clause).
_GROUP = r"(?:\s+(?:team|eng|engineering|folks|side|people|engineers?|architects?|guys))?"
_HEADED = re.compile(
    # "(2) perf: ...", "3. PM: ...": the number of a listed item comes before the name
    r"^\W*(?:\d{1,2}[.)]\s*)?(?:(?:and|also|so|then|ok|okay|oh)\s+)*"
    r"(?:(?:[\w-]+\s+){0,2}(?:q|question|questions|ask|asks)\s+for\s+(?:the\s+)?)?"
    r"(?P<who>[a-z]+)" + _GROUP + r"\s*(?P<end>[:,]|$)",
    re.IGNORECASE,
)
_CALLED = (
    re.compile(r"(?:^|\s)@(?P<who>[a-z]+)" + _GROUP + r"\b", re.I),
    re.compile(r"\b(?:can|could|would|will)\s+(?P<who>[a-z]+)" + _GROUP + r"\s+[a-z]", re.I),
    re.compile(
        r"^\W*(?:(?:and|also|so|then)\s+)*(?P<who>[a-z]+)" + _GROUP + r",?\s+(?:please|pls|plz)\b",
        re.I,
    ),
    re.compile(r"\bneed\s+(?:the\s+)?(?P<who>[a-z]+)" + _GROUP + r"\s+to\s+[a-z]", re.I),
    # "ops will need to stand up the infrastructure", "ML should look at a lighter model": a team
    # named as the one to do it ("the data has to be cleaned" names what, not who)
    re.compile(
        r"^\W*(?:(?:and|also|so|then|but|plus)\s+)*(?:the\s+)?(?P<who>[a-z]+)"
        + _GROUP
        + r"\s+(?:will|'ll|would|also|probably|then|\s)*(?:needs?\s+to|has\s+to|have\s+to"
        r"|should|must)\s+(?:also\s+|then\s+)?(?!be\b)[a-z]",
        re.I,
    ),
    # "After that, backend can design the APIs between them", "data will backfill March": a
    # team named before what it can or will do, when that opens an ask as a verb does
    re.compile(
        r"^\W*(?:(?:and|also|so|then|but|plus|after\s+that|next|finally|meanwhile)\W+)*"
        r"(?P<who>[a-z]+)" + _GROUP + r"\s+(?:can|could|will|'ll)\s+(?:also\s+|then\s+)?"
        r"(?=" + _VERB + r")",
        re.I,
    ),
    # "ask the ML folks whether ...", "Also ask ML to look at ...": the question is theirs
    re.compile(
        r"^\W*(?:(?:and|also|so|then|please|pls)\s+)*ask\s+(?:the\s+)?(?P<who>[a-z]+)"
        + _GROUP
        + r"\b",
        re.I,
    ),
    # "Need a call from product", "waiting on a decision from the architects": theirs to make
    re.compile(
        r"\b(?:call|decision|sign-?off|go-ahead|ruling|answer)\s+from\s+(?:the\s+)?"
        r"(?P<who>[a-z]+)" + _GROUP + r"\b",
        re.I,
    ),
)
# "PM to draft the FAQ", "(2) data to backfill March", "and ops to rotate the keys", "then
# have infra rotate the keys": an action item names its doer before the verb of its work; the
# work is the ask ("infra to DevOps" names no work).
_DOER = re.compile(
    r"^\W*(?:\(?\d{1,2}[.)]\s*)?(?:(?:and|also|so|then|plus|please)\s+)*"
    r"(?:(?:the\s+)?(?P<who>[a-z]+)" + _GROUP + r"\s+to\s+(?:also\s+|then\s+)?"
    r"|have\s+(?:the\s+)?(?P<had>[a-z]+)" + _GROUP + r"\s+)"
    r"(?=(?:" + _VERB + r"))",
    re.I,
)


def _addressed(
    sentence: list[str], addressee: Callable[[str], str | None]
) -> list[tuple[str, str | None]]:
    """The parts of a sentence, each with the role it is addressed to; a part that only names
    the role ("DevOps:", "backend") is left out, its name carried on."""
    out: list[tuple[str, str | None]] = []
    carried: str | None = None
    for part in sentence:
        head = _HEADED.match(part)
        if head and (role := addressee(head["who"].lower())):
            carried = role
            if not stems(part[head.end() :]):
                continue  # only the name
        doer = _DOER.match(part)
        if doer and (role := addressee((doer["who"] or doer["had"]).lower())):
            out.append((part[doer.end() :], role))
            continue
        # the first name a role answers to ("will need to" names no one)
        called = next(
            (r for p in _CALLED if (m := p.search(part)) and (r := addressee(m["who"].lower()))),
            None,
        )
        out.append((part, called or carried))
    return out
