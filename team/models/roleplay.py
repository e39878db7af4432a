"""How the offline model plays one role for one reply, worked out from the transcript alone.

A clause of the request is *taken* once a role quotes it in its deliverable or a handoff reason;
a clause handed to a role is that role's to keep, so the offline team never ping-pongs.
"""

from __future__ import annotations

import re
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from team.cards import Card
from team.context import PACKET_HEADER
from team.handoffs import handoff_target, is_transfer, tool_name
from team.models.artifacts import analysis_sections, artifact, standard_rules
from team.routing import (
    Move,
    Router,
    first_handoff,
    next_move,
    read_request,
    split_clauses,
    stems,
    travels_with,
)

__all__ = ["Turn", "message_text"]

_EVIDENCE = re.compile(
    r"(?P<loc>[\w./-]+\.(?:py|ipynb|ya?ml|toml|cfg|json|md|sql|txt|csv)(?::cell \d+)?:\d+)[:\s|-]+(?P<text>.*)"
)
_RAW_NOTEBOOK = re.compile(r"\.ipynb:\d+$")
_FINDING = re.compile(
    r"(?P<loc>\S+:\d+): (?P<severity>error|warning|info) (?P<rule>[a-z-]+): .*?(?: \[enforces: (?P<enforces>[^\]]*)\])?$"
)
_GENERIC = frozenset(
    [
        "tools",
        "files",
        "places",
        "where",
        "lives",
        "lived",
        "used",
        "defined",
        "define",
        "search",
        "searches",
        "searching",
        "look",
        "looks",
        "locate",
        "find",
        "finds",
        "usage",
        "patterns",
        "pattern",
        "definitions",
        "definition",
        "anything",
        "things",
        "places",
        "every",
        "across",
        "inside",
        "within",
        "which",
        "whose",
        "their",
        "other",
    ]
)
_REPO_TOOLS = ("glob", "read_file", "grep", "analyze", "review")
_ESCALATED = "as my card's escalation"


def message_text(message: BaseMessage) -> str:
    content = message.content
    if isinstance(content, str):
        return content
    return "".join(b.get("text", "") if isinstance(b, dict) else str(b) for b in content)


def _in_sections(lines: list[str], sections: tuple[str, ...]) -> list[str]:
    """The lines of an `analyze` result under the given section headings ("serving:")."""
    out, keep = [], False
    for line in lines:
        if line and not line[0].isspace() and line.endswith(":"):
            keep = line[:-1] in sections
        elif keep:
            out.append(line)
    return out


def _clip(text: str, limit: int) -> str:
    """``text`` cut at a word boundary, with an ellipsis when it was longer."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " ..."


def _argument(spec: dict[str, Any], text: str) -> Any:
    """A value for a required tool argument, from its JSON schema type."""
    kind = spec.get("type")
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return False
    if kind == "array":
        return [text]
    return text


def _tool_words(function: dict[str, Any], *, described: bool = True) -> set[str]:
    """The word stems of a tool's name (``create_ticket``), and of its description."""
    text = function["name"].replace("_", " ")
    return set(stems(f"{text} {function.get('description', '')}" if described else text))


def _quoted(clause: str) -> str:
    return f'"{clause}"'


class Turn:
    """One reply of one role, worked out from the transcript."""

    def __init__(
        self, card: Card, router: Router, messages: list[BaseMessage], tools: list[dict[str, Any]]
    ):
        self.card = card
        self.router = router
        self.tool_names = {t["function"]["name"] for t in tools}
        review: dict[str, Any] = next(
            (t["function"] for t in tools if t["function"]["name"] == "review"), {}
        )
        role_spec = (review.get("parameters") or {}).get("properties", {}).get("role", {})
        # The review runs as this role when the tool offers it; a role it has no review for skips it.
        self.review_args: dict[str, Any] | None = (
            {"role": card.id}
            if card.id in role_spec.get("enum", ())
            else ({} if not role_spec and card.id == "ml_engineer" else None)
        )
        # Tools beyond the repository and handoffs (MCP servers the topology grants this role).
        self.outside = [
            t["function"]
            for t in tools
            if t["function"]["name"] not in _REPO_TOOLS
            and handoff_target(t["function"]["name"]) is None
        ]
        self.conversation = [m for m in messages if m.type != "system"]
        last_human = max(
            (i for i, m in enumerate(self.conversation) if isinstance(m, HumanMessage)), default=0
        )
        self.turn = self.conversation[last_human:]
        start, self.packet = 0, ""
        for index, message in enumerate(self.turn):
            if (
                isinstance(message, ToolMessage)
                and message.name == tool_name(card.id)
                and is_transfer(message.name, message_text(message))
            ) or (
                isinstance(message, HumanMessage)
                and message_text(message).startswith(PACKET_HEADER)
            ):
                start = index + 1
                self.packet = message_text(message) if isinstance(message, HumanMessage) else ""
        if self.packet:  # the packet policy: the user's request is the human message before it
            users = [
                m
                for m in self.conversation
                if isinstance(m, HumanMessage) and not message_text(m).startswith(PACKET_HEADER)
            ]
            self.request = message_text(users[-1]) if users else ""
        else:
            self.request = message_text(self.conversation[last_human]) if self.conversation else ""
        self.before = self.turn[:start]
        self.mine = self.turn[start:]
        self.handed_reason = self._handed_reason()

    def _handed_reason(self) -> str:
        if self.packet:
            return next(
                (
                    line[len("Reason: ") :]
                    for line in self.packet.splitlines()
                    if line.startswith("Reason: ")
                ),
                "",
            )
        for message in reversed(self.before):
            if isinstance(message, AIMessage):
                for call in message.tool_calls:
                    if call["name"] == tool_name(self.card.id):
                        return str(call["args"].get("reason", ""))
        return ""

    def _call_id(self, index: int) -> str:
        return f"call_{self.card.id}_{len(self.conversation)}_{index}"

    def reply(self) -> AIMessage:
        rounds = [m for m in self.mine if isinstance(m, AIMessage) and m.tool_calls]
        repo_tools = [name for name in _REPO_TOOLS if name in self.tool_names]
        calls = self._inspection(len(rounds), repo_tools) if repo_tools and len(rounds) < 2 else []
        if not rounds:
            calls += self._outside_calls(len(calls))
        if calls:
            return AIMessage(content="", tool_calls=calls)
        return self._conclude()

    def _outside_calls(self, start: int) -> list[dict[str, Any]]:
        """One call per clause of the request that asks for what an outside tool offers: the tool
        whose name shares a word with the clause and whose name and description share the most.
        Its text arguments carry the rest of the request (the work the call is about)."""
        clauses = split_clauses(self.request) or [self.request.strip()]
        chosen: list[tuple[dict[str, Any], str]] = []
        for clause in clauses:
            words = set(stems(clause))
            named = [f for f in self.outside if words & _tool_words(f, described=False)]
            best = max(named, key=lambda f: len(words & _tool_words(f)), default=None)
            if best is not None and all(best is not f for f, _ in chosen):
                chosen.append((best, clause))
        calls = []
        for offset, (function, clause) in enumerate(chosen):
            topic = "; ".join(c for c in clauses if c != clause) or self.request.strip()
            schema = function.get("parameters") or {}
            args = {
                key: _argument(spec, topic)
                for key, spec in (schema.get("properties") or {}).items()
                if key in (schema.get("required") or ())
            }
            calls.append(
                {
                    "name": function["name"],
                    "args": args,
                    "id": self._call_id(start + offset),
                    "type": "tool_call",
                }
            )
        return calls

    # -- inspection -----------------------------------------------------------------------------

    def _orchestration_words(self, tool: str) -> list[str]:
        line = next((i.text for i in self.card.tool_orchestration if tool in i.text.lower()), "")
        focus = re.split(r"\bfor\b|\bto\b", line, maxsplit=1)[-1]
        words = [w for w in re.findall(r"[A-Za-z]{5,}", focus) if w.lower() not in _GENERIC]
        return sorted({stems(w)[0] for w in words if stems(w)})[:8]

    def _inspection(self, round_index: int, repo_tools: list[str]) -> list[dict[str, Any]]:
        calls: list[tuple[str, dict[str, Any]]] = []
        if round_index == 0:
            if "glob" in repo_tools:
                calls.append(("glob", {"pattern": "**/*"}))
            if "analyze" in repo_tools:
                calls.append(("analyze", {}))
            if "review" in repo_tools and self.review_args is not None:
                calls.append(("review", self.review_args))
            words = self._orchestration_words("grep")
            if "grep" in repo_tools and words:
                calls.append(("grep", {"pattern": "|".join(words), "ignore_case": True}))
        else:
            hits: dict[str, int] = {}
            for location, _ in self._evidence():
                path = location.split(":")[0]
                if path.endswith(".py"):
                    hits[path] = hits.get(path, 0) + 1
            ranked = sorted(hits, key=lambda p: (-hits[p], p))[:2]
            if "read_file" in repo_tools:
                calls += [
                    ("read_file", {"path": path, "start_line": 1, "end_line": 80})
                    for path in ranked
                ]
        return [
            {"name": n, "args": a, "id": self._call_id(i), "type": "tool_call"}
            for i, (n, a) in enumerate(calls)
        ]

    def _evidence(self, *, review_only: bool = False) -> list[tuple[str, str]]:
        """``(path:line, text)`` pairs from this activation's tool results, in order, unique."""
        seen: dict[str, str] = {}
        # A role other than the ML Engineer cites its own review first, the code analysis after.
        own_first = self.card.id != "ml_engineer"
        messages = sorted(
            self.mine,
            key=lambda m: not (own_first and isinstance(m, ToolMessage) and m.name == "review"),
        )
        if review_only:
            messages = [m for m in messages if isinstance(m, ToolMessage) and m.name == "review"]
        sections = analysis_sections(self.card.id)
        for message in messages:
            if isinstance(message, ToolMessage) and not message_text(message).startswith("error"):
                lines = message_text(message).splitlines()
                if message.name == "analyze" and sections is not None:
                    lines = _in_sections(lines, sections)
                for line in lines:
                    match = _EVIDENCE.search(line)
                    if match and _RAW_NOTEBOOK.search(match["loc"]):
                        continue  # a grep hit in a notebook's JSON ("cell_type": ...), no code
                    if match and match["loc"] not in seen:
                        seen[match["loc"]] = _clip(
                            match["text"].split(" [enforces:")[0].strip(), 160
                        )
        return list(seen.items())

    # -- conclusion -----------------------------------------------------------------------------

    def _taken(self) -> str:
        """Everything roles before this one said this turn: deliverables and handoff reasons."""
        parts = [self.packet]
        for message in self.before:
            if isinstance(message, AIMessage):
                parts.append(message_text(message))
                parts += [str(c["args"].get("reason", "")) for c in message.tool_calls]
        return "\n".join(parts)

    def _conclude(self) -> AIMessage:
        asks, _ = read_request(self.router, self.request)
        taken = self._taken()
        # An ask handed over is the receiver's to keep (so the offline team never ping-pongs),
        # unless it came as an escalation: then it goes on to its owner.
        given = [a.text for a in asks if _quoted(a.text) in self.handed_reason]
        escalated = given if _ESCALATED in self.handed_reason else []
        handed = [] if escalated else given
        legal = {target for t in self.tool_names if (target := handoff_target(t)) is not None}
        keep, gives, left = list(handed), [], []
        refused = {
            m.additional_kwargs.get("rejected") for m in self.turn if isinstance(m, ToolMessage)
        }
        for ask in asks:
            if ask.text in handed or (_quoted(ask.text) in taken and ask.text not in escalated):
                continue
            move = next_move(self.router, ask, self.card.id, legal)
            if move.action == "escalate" and ask.owner in refused:
                move = Move(ask, "open", ask.owner)  # a human said no to its owner this turn
            if move.action == "keep":
                keep.append(ask.text)
            elif move.action == "open":
                left.append(move)  # owned by a role none of my criteria fits
            else:
                gives.append(move)
        # One handoff per reply (a fitting edge before an escalation); another role's ask not
        # handed now is left open for whoever holds the work next.
        give = first_handoff(gives)
        # an ask kept on a weak reading goes on with the work when that goes to its owner
        moving = {a.text for a in asks if a.text in keep and travels_with(a, self.card.id, give)}
        keep = [text for text in keep if text not in moving or text in handed]
        if give is not None:
            left = []  # they travel on with the work
        else:  # the role answers them itself, and says they are left open
            keep += [m.ask.text for m in left]
        if not keep and give is None and not self.handed_reason:
            keep = [self.request.strip()]
        content = self._deliverable(keep, give, left)
        if give is None:
            return AIMessage(content=content)
        reason = self._handoff_reason(give)
        call = {
            "name": tool_name(give.target),
            "args": {"reason": reason, "criterion": give.criterion},
            "id": self._call_id(0),
            "type": "tool_call",
        }
        return AIMessage(content=content, tool_calls=[call])

    def _handoff_reason(self, move: Move) -> str:
        """The ask, who owns it, and how the cited criterion fits it."""
        target = self.router.cards[move.target].name
        asks = f"The request asks {_quoted(move.ask.text)}"
        if move.action == "escalate":
            owner = self.router.cards[move.ask.owner].name
            if move.target == move.ask.owner:
                return (
                    f"{asks}, which is the {owner}'s work; none of my handoff criteria fits it, "
                    f"so it goes straight to its owner along my edge to the {owner}."
                )
            return (
                f"{asks}, which is the {owner}'s work; none of my handoff criteria leads there, "
                f"so it goes to the {target} {_ESCALATED}."
            )
        assert move.fit is not None
        cite = self._cite(move.ask.text + " " + " ".join(stems(move.fit.criterion)))
        shared = ", ".join(move.fit.shared[:4])
        return f"{asks}, which needs the {target}: my criterion fits it (shared: {shared}).{cite}"

    def _findings(self) -> list[tuple[str, str, str, str]]:
        """``(path:line, severity, rule, standard)`` from this activation's review tool results."""
        found = []
        for message in self.mine:
            if isinstance(message, ToolMessage) and message.name == "review":
                for line in message_text(message).splitlines():
                    match = _FINDING.match(line)
                    if match:
                        found.append(
                            (
                                match["loc"],
                                match["severity"],
                                match["rule"],
                                match["enforces"] or "",
                            )
                        )
        return found

    def _facts(self) -> list[str]:
        """The `facts:` lines of this activation's review tool results."""
        out: list[str] = []
        for message in self.mine:
            if isinstance(message, ToolMessage) and message.name == "review":
                text = message_text(message)
                if "\nfacts:\n" in text:
                    out += text.split("\nfacts:\n", 1)[1].splitlines()
        return out

    def _cite(self, text: str) -> str:
        """The evidence that bears on ``text`` (two shared words at least), and the review findings
        in the same file, as sentences for a handoff reason."""
        words = set(stems(text))
        scored = [
            (len(words & set(stems(f"{loc} {line}"))), loc, line)
            for loc, line in self._evidence()
            if line[:1].isalnum()  # skip raw JSON and punctuation lines (notebooks)
        ]
        best = max(scored, key=lambda item: item[0], default=None)
        if best is None or best[0] < 2:
            return ""
        cited = f" Evidence: {best[1]} ({_clip(best[2], 80)})."
        path = best[1].split(":")[0]
        related = [
            f"{loc} {rule}" for loc, _, rule, _ in self._findings() if loc.split(":")[0] == path
        ]
        if related:
            cited += f" Review findings in {path}: {', '.join(related)}."
        return cited

    def _rejections(self) -> list[str]:
        """A line per handoff a human rejected this turn, with the human's note."""
        lines = []
        for message in self.turn:
            target = isinstance(message, ToolMessage) and message.additional_kwargs.get("rejected")
            if target in self.router.cards:
                note = message_text(message).partition(": ")[2]
                name = self.router.cards[target].name
                lines.append(
                    f"**Not handed over:** a human rejected the handoff to the {name}: {note}"
                )
        return lines

    def _deliverable(self, keep: list[str], give: Move | None, left: list[Move]) -> str:
        card, evidence = self.card, self._evidence()
        lines = [f"## {card.name}: deliverable", "", f"**Request:** {self.request.strip()}"]
        if keep:
            lines.append("**Addressed here:** " + "; ".join(_quoted(c) for c in keep))
        if self.handed_reason:
            lines.append(f"**Taken over because:** {self.handed_reason}")
        lines += self._rejections()
        if left:
            lines.append(
                "**Left open:** "
                + "; ".join(
                    f"'{m.ask.text}' (another role's work, and none of my handoffs that "
                    "are open to me fits it)"
                    for m in left
                )
            )
        used: set[str] = set()
        steps = []
        # Workflow steps cite what this role's own review saw; the ML Engineer's review is its
        # whole toolset, so it reads everything.
        step_evidence = evidence if card.id == "ml_engineer" else self._evidence(review_only=True)
        for step in card.workflow:
            note = self._step_note(step.title + " " + step.text, step_evidence, used)
            if note:  # a step with nothing to say is left out
                steps += [f"{step.number}. **{step.title}**: {note}"]
        if steps:
            lines += ["", "### Workflow", *steps]
        findings = self._findings()
        lines += artifact(
            card.id,
            self.request,
            self._facts(),
            findings,
            split_clauses(self.request),
            self._taken(),
        )
        if findings:
            lines += [
                "",
                "### Review findings",
                "| where | rule | severity | standard it breaks |",
                "|---|---|---|---|",
            ]
            lines += [
                f"| `{loc}` | {rule} | {severity} | {enforces} |"
                for loc, severity, rule, enforces in findings
            ]
        outside = [
            (message.name, message_text(message).strip())
            for message in self.mine
            if isinstance(message, ToolMessage)
            and message.name in {f["name"] for f in self.outside}
        ]
        if outside:
            lines += ["", "### Tool results"]
            lines += [f"- `{name}`: {_clip(' '.join(text.split()), 200)}" for name, text in outside]
        if evidence:
            lines += ["", "### Evidence"]
            lines += [f"- `{loc}` {text}" for loc, text in evidence[:12]]
        if card.quality_standards:
            lines += ["", "### Checked against my quality standards"]
            lines += [self._standard(item.text, findings) for item in card.quality_standards]
        if give is not None:
            why = (
                f"my card says to hand off when {give.criterion}"
                if give.action == "handoff"
                else "none of my handoff criteria fits it, so it goes straight to its owner"
                if give.target == give.ask.owner
                else f"none of my handoff criteria fits it, so it goes {_ESCALATED}"
            )
            name = self.router.cards[give.target].name
            lines += ["", "### Handoff", f"{_quoted(give.ask.text)} goes to the {name}: {why}."]
        return "\n".join(lines)

    def _standard(self, text: str, findings: list[tuple[str, str, str, str]]) -> str:
        """`not met` with the findings that break it, `met` when this role's review checks it and
        found nothing, else `cannot tell`."""
        broken = [f"`{loc}` {rule}" for loc, _, rule, enforces in findings if enforces == text]
        if broken:
            return f"- not met: {text} ({', '.join(broken[:4])})"
        reviewed = any(isinstance(m, ToolMessage) and m.name == "review" for m in self.mine)
        checks = standard_rules(self.card.id).get(text, [])
        checked = [f.split(": ", 1)[1] for f in self._facts() if f.startswith("checked: ")]
        if checked:  # only the rules that had something to read count as a check
            checks = [rule for rule in checks if rule in checked[0].split(",")]
        if reviewed and checks:
            return f"- met as far as the review checks ({', '.join(checks)}: no finding): {text}"
        return f"- cannot tell: {text} (nothing in the request or repository shows it either way)"

    def _step_note(self, step: str, evidence: list[tuple[str, str]], used: set[str]) -> str:
        words = set(stems(step))
        best = max(
            (item for item in evidence if item[0] not in used),
            key=lambda item: len(words & set(stems(item[1] + " " + item[0]))),
            default=None,
        )
        if best is not None and words & set(stems(best[1] + " " + best[0])):
            used.add(best[0])
            return f"`{best[0]}` {best[1]}"
        return ""  # no evidence bears on the step: it is left out, not filled with the request
