"""A module that only shows episodes on screen: its environment's draws reach no result.

The Autonomous Learning Library's `scripts/watch_multiagent_atari.py` makes its environment with
`render_mode="human"`, loads a saved agent with `torch.load`, and plays episodes on screen at a
given frame rate forever, printing only a warning when a reload fails. Nothing is trained, scored,
logged or written, so an unseeded `env.reset()` changes only which episode a person watches.

Read here: a call given `render_mode="human"`, in a module that trains nothing (no `.fit`,
`.train()`, `.backward()`), calls no metric or score, saves or logs nothing, and prints or
displays only inside an `except` handler (the reload warning). A watcher that prints anything
else (evotorch's MPC notebook renders Reacher and prints each episode's distance to the goal), or
that trains while it renders, is still read.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.trainloops import trains

__all__ = ["only_watches"]

_KEEPS = re.compile(r"(?i)^(save|dump|log|write|add_scalar|record|report|evaluate|score)")
_PRINTS = frozenset({"print", "display"})


def only_watches(tree: ast.Module) -> str | None:
    """Why the module's draws reach no result: it renders episodes for a person to watch.

    Example:
        >>> import ast
        >>> code = 'env = make("Pong", render_mode="human")\\nenv.reset()\\nenv.render()'
        >>> only_watches(ast.parse(code))
        'the module renders episodes on screen (render_mode="human") and trains, scores, logs, saves or prints nothing'
    """
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    if not any(_human_render(c) for c in calls) or trains(calls):
        return None
    handled = {
        id(n)
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        for n in ast.walk(handler)
    }
    for call in calls:
        name = leaf_name(call.func)
        if _KEEPS.match(name) or name.endswith(("_score", "_error", "_loss", "accuracy")):
            return None
        if name in _PRINTS and id(call) not in handled:
            return None
    return (
        'the module renders episodes on screen (render_mode="human") and trains, scores, logs, '
        "saves or prints nothing"
    )


def _human_render(call: ast.Call) -> bool:
    return any(
        k.arg == "render_mode" and isinstance(k.value, ast.Constant) and k.value.value == "human"
        for k in call.keywords
    )
