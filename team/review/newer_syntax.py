"""Newer syntax read by an older interpreter: Python 3.12 type parameters (PEP 695) and Python
3.14 exception lists without brackets (PEP 758).

`def first[T](items: list[T]) -> T`, `class Box[T: Hashable]:`, `type Pair = tuple[int, int]` and
`except KeyError, ValueError:` are valid code for the Python an app requires (acapy-agent needs
3.13, Home Assistant 3.14), but `ast.parse` of a 3.11 interpreter refuses them, and the reviews
would then skip the whole file and report it as unparsable. The type parameters say nothing the
reviews read (queries, handlers, I/O), so they are blanked out; a bare exception list is put in
brackets, which is what it means. Every line stays where it was, and the rest of the module is
parsed as usual.
"""

from __future__ import annotations

import ast
import io
import tokenize

__all__ = ["parse_newer", "without_type_parameters"]

_OPENERS = {"(": ")", "[": "]", "{": "}"}
_STARTS = frozenset([tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT])


def parse_newer(source: str, filename: str) -> ast.Module:
    """`ast.parse(source)`, reading syntax newer than this interpreter's as what it means, so a
    file of a project that requires a newer Python is reviewed rather than skipped; a real
    syntax error is raised as `ast.parse` raises it."""
    try:
        return ast.parse(source, filename=filename)
    except SyntaxError as exc:
        older = without_type_parameters(source)
        if older is None:
            raise
        try:
            return ast.parse(older, filename=filename)
        except SyntaxError:
            raise exc from None


def without_type_parameters(source: str) -> str | None:
    """`source` with its PEP 695 type parameters and `type` keywords removed and its PEP 758
    exception lists bracketed, line numbers kept; None when it has neither (or does not
    tokenize).

    Example:
        >>> print(without_type_parameters("def first[T](xs: list[T]) -> T:\\n    return xs[0]\\n"))
        def first(xs: list[T]) -> T:
            return xs[0]
        <BLANKLINE>
        >>> print(without_type_parameters("type Pair = tuple[int, int]\\n"))
        Pair = tuple[int, int]
        <BLANKLINE>
        >>> print(without_type_parameters("try:\\n    f()\\nexcept KeyError, ValueError:\\n    pass\\n"))
        try:
            f()
        except (KeyError, ValueError):
            pass
        <BLANKLINE>
    """
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return None
    edits = [(begin, end, None) for begin, end in _cuts(tokens)] + _brackets(tokens)
    if not edits:
        return None
    starts = [0]
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    out, done = [], 0
    for (srow, scol), (erow, ecol), text in sorted(edits):
        begin, end = starts[srow - 1] + scol, starts[erow - 1] + ecol
        blank = " \\\n" * source.count("\n", begin, end)
        out += [source[done:begin], blank if text is None else text]
        done = end
    return "".join([*out, source[done:]])


def _brackets(
    tokens: list[tokenize.TokenInfo],
) -> list[tuple[tuple[int, int], tuple[int, int], str | None]]:
    """An opening and a closing bracket around each `except A, B:` (or `except* A, B:`) list."""
    edits: list[tuple[tuple[int, int], tuple[int, int], str | None]] = []
    for i, tok in enumerate(tokens):
        if tok.type != tokenize.NAME or tok.string != "except":
            continue
        if i and tokens[i - 1].type not in _STARTS:
            continue
        first = i + 2 if tokens[i + 1].string == "*" else i + 1
        depth, comma, last = 0, False, None
        for j in range(first, len(tokens)):
            text = tokens[j].string
            if tokens[j].type != tokenize.OP:
                last = j
                continue
            if depth == 0 and text == ":":
                break
            depth += (text in _OPENERS) - (text in _OPENERS.values())
            comma |= depth == 0 and text == ","
            last = j
        if comma and last is not None:
            start, end = tokens[first].start, tokens[last].end
            edits += [(start, start, "("), (end, end, ")")]
    return edits


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
