"""System prompts built from persona cards."""

from __future__ import annotations

from team.cards import Card

__all__ = ["CARD_CLOSE", "CARD_OPEN", "card_from_prompt", "system_prompt"]

CARD_OPEN = "<card>"
CARD_CLOSE = "</card>"

_RULES = """\
How you work on this team:
- Act only as the {name}. Other roles are reached through your transfer_to_<role> tools.
- When repository tools are available, inspect the repository as your Tool Orchestration section
  says before you conclude; cite evidence as path:line.
- Write your deliverable in markdown, following your Workflow steps in order, filled with what the
  request and the repository show. Never invent files or results.
- When part of the request matches one of your Handoff Criteria, call that transfer tool with a
  `reason` (the open need and its evidence) and the `criterion` you apply, quoted from your card.
  Hand off at most once per turn.
- When nothing left needs another role, answer without calling a tool."""


def system_prompt(card: Card) -> str:
    """The static system prompt of a role: its card and the team's working rules.

    Example:
        >>> from team.cards import load_card
        >>> system_prompt(load_card("agents/pm.md")).startswith("You are the PM")
        True
    """
    return (
        f"You are the {card.name} of a software team.\n\n"
        f"{CARD_OPEN}\n{card.text.strip()}\n{CARD_CLOSE}\n\n{_RULES.format(name=card.name)}"
    )


def card_from_prompt(prompt: str) -> str | None:
    """The card markdown embedded in a system prompt, if any."""
    start, end = prompt.find(CARD_OPEN), prompt.find(CARD_CLOSE)
    if start < 0 or end < start:
        return None
    return prompt[start + len(CARD_OPEN) : end].strip()
