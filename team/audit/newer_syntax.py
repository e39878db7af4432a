"""Python 3.12 type-parameter syntax (PEP 695) read by an older interpreter.

`def first[T](items: list[T]) -> T`, `class Box[T: Hashable]:` and `type Pair = tuple[int, int]`
are valid code for the Python an app requires (acapy-agent needs 3.13), but `ast.parse` of a
3.11 interpreter refuses them, and the reviews would then skip the whole file and report it as
unparsable. The type parameters say nothing the reviews read (queries, handlers, I/O), so they
are blanked out, keeping every line where it was, and the rest of the module is parsed as usual.
"""

from __future__ import annotations

import io
import tokenize

__all__ = ["without_type_parameters"]

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_STARTS = frozenset([tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT])


def without_type_parameters(source: str) -> str | None:
    """`source` with its PEP 695 type parameters and `type` keywords removed, line numbers
    kept; None when it has none (or does not tokenize).

    Example:
        >>> print(without_type_parameters("def first[T](xs: list[T]) -> T:\\n    return xs[0]\\n"))
        def first(xs: list[T]) -> T:
            return xs[0]
        <BLANKLINE>
        >>> print(without_type_parameters("type Pair = tuple[int, int]\\n"))
        Pair = tuple[int, int]
        <BLANKLINE>
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    cuts = _cuts(tokens)
    if not cuts:
        return None
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out, done = [], 0
    for (srow, scol), (erow, ecol) in cuts:
        begin, end = starts[srow - 1] + scol, starts[erow - 1] + ecol
        out += [source[done:begin], " \\\n" * source.count("\n", begin, end)]
        done = end
    return "".join([*out, source[done:]])


def _cuts(tokens: list[tokenize.TokenInfo]) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) of each piece to remove: the `[...]` after a def, class or type alias
    name, and the soft keyword `type` opening a statement (`type X = ...`)."""
    cuts = []
    for i, tok in enumerate(tokens[:-2]):
        name, after = tokens[i + 1], tokens[i + 2]
        if tok.type != tokenize.NAME or name.type != tokenize.NAME:
            continue
        alias = (
            tok.string == "type"
            and (i == 0 or tokens[i - 1].type in _STARTS)
            and after.string in ("=", "[")
        )
        if alias:
            cuts.append((tok.start, name.start))
        if (alias or tok.string in ("def", "class")) and after.string == "[":
            close = _closing(tokens, i + 2)
            if close is None:
                return []
            cuts.append((after.start, tokens[close].end))
    return cuts


def _closing(tokens: list[tokenize.TokenInfo], opening: int) -> int | None:
    """Index of the bracket closing the one at `opening`."""
    depth = 0
    for j in range(opening, len(tokens)):
        text = tokens[j].string
        if tokens[j].type == tokenize.OP and text in _OPENERS:
            depth += 1
        elif tokens[j].type == tokenize.OP and text in _OPENERS.values():
            depth -= 1
            if depth == 0:
                return j
    return None
