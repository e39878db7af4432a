"""A file written for Python 2, told apart from a real syntax error.

A package that targets Python 2 (`print 'x'`, `except E, e:`) is valid code that a Python 3
parser refuses. `newer_python.why_unread` reads a file as Python 2 only when both hold: the
package's metadata declares Python 2 and not Python 3 (`declares_python2`: classifiers,
`python_requires`), and the file parses once its Python 2 statements are written the Python 3 way,
token by token (`reads_as_python2`: `print x` -> `print(x)`, `except E, e:` -> `except E as e:`,
`` `x` `` -> `repr(x)`). Anything else that does not parse (`print 'x' y`, an unclosed bracket
beside a Python 2 print, an `exec` statement) stays a syntax error."""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from pathlib import Path

__all__ = ["declares_python2", "nearest_metadata", "reads_as_python2"]

_METADATA = ("setup.py", "setup.cfg", "pyproject.toml", "PKG-INFO")
_CLASSIFIER = re.compile(r"Programming Language :: Python :: (\d)(?!\d)")
_REQUIRES = re.compile(
    r"(?:python_requires|requires-python|Requires-Python)\s*[=:]\s*[\"']?([^\"'\n]*)"
)
_STATEMENT_END = {tokenize.NEWLINE, tokenize.ENDMARKER}


def reads_as_python2(source: str) -> bool:
    """True when `source` does not parse here but does once its Python 2 print statements,
    `except E, e:` clauses and backquotes are written the Python 3 way.

    Example:
        >>> reads_as_python2("print 'x' % y\\ntry:\\n    f()\\nexcept E, e:\\n    pass\\n")
        True
        >>> reads_as_python2("print 'x' y\\n")  # an error on Python 2 as well
        False
    """
    if _parses(source):
        return False
    fixed = _to_python3(source)
    return fixed is not None and fixed != source and _parses(fixed)


@functools.lru_cache(maxsize=256)
def declares_python2(folder: Path) -> bool:
    """True when the nearest package metadata at or above `folder` declares Python 2 and not
    Python 3 (its classifiers, or a `python_requires` below 3)."""
    text = nearest_metadata(folder, _METADATA)
    if text is None:
        return False
    required = [m.group(1).replace(" ", "") for m in _REQUIRES.finditer(text)]
    if any(re.match(r"^(?:==2|<3|<=2|~=2|>=2\.\d+,<3)", r) for r in required):
        return True
    return set(_CLASSIFIER.findall(text)) == {"2"}


def nearest_metadata(folder: Path, names: tuple[str, ...]) -> str | None:
    """The text of the metadata files `names` in the nearest folder at or above `folder` that
    holds one of them, or None when no folder does."""
    for place in (folder, *folder.parents):
        texts = []
        for name in names:
            try:
                texts.append((place / name).read_text(encoding="utf-8", errors="replace"))
            except OSError:
                continue
        if texts:
            return "\n".join(texts)
    return None


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _to_python3(source: str) -> str | None:
    """`source` with its Python 2 statements rewritten token by token, or None when it does not
    tokenize."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement) in source offsets

    def at(pos: tuple[int, int]) -> int:
        return starts[pos[0] - 1] + pos[1]

    first, depth, in_except, backquote = True, 0, False, False
    for i, tok in enumerate(tokens):
        if tok.type in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            continue
        if first and tok.type == tokenize.NAME and tok.string == "print":
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if after is not None and _print_statement(after):
                close = at(_statement_end(tokens, i + 1))
                if after.string == ">>":
                    edits.append((at(after.start), at(after.end), ""))
                edits.append((at(tok.end), at(tok.end), "("))
                edits.append((close, close, ")"))
        first = tok.type in _STATEMENT_END or (
            tok.type == tokenize.OP and (tok.string == ";" or (tok.string == ":" and depth == 0))
        )
        if tok.type == tokenize.NAME and tok.string == "except" and depth == 0:
            in_except = True
        elif tok.type == tokenize.OP and tok.string in "([{":
            depth += 1
        elif tok.type == tokenize.OP and tok.string in ")]}":
            depth -= 1
        elif tok.type == tokenize.OP and tok.string == ":" and depth == 0:
            in_except = False
        elif in_except and depth == 0 and tok.type == tokenize.OP and tok.string == ",":
            edits.append((at(tok.start), at(tok.end), " as "))
        elif tok.type == tokenize.ERRORTOKEN and tok.string == "`":
            edits.append((at(tok.start), at(tok.end), ")" if backquote else "repr("))
            backquote = not backquote
    out = source
    for start, end, text in sorted(edits, reverse=True):
        out = out[:start] + text + out[end:]
    return out


def _print_statement(after: tokenize.TokenInfo) -> bool:
    """`print` followed by `after` is Python 2's print statement (not a call or a name)."""
    if after.type in _STATEMENT_END or after.type == tokenize.COMMENT:
        return False
    if after.type == tokenize.OP:
        return after.string in (">>", "-", "+", "~", "[", "{")
    return True


def _statement_end(tokens: list[tokenize.TokenInfo], i: int) -> tuple[int, int]:
    """Where the logical line that continues at token `i` ends (before a comment, `;` or its
    newline)."""
    last = tokens[i]
    for tok in tokens[i:]:
        if tok.type in _STATEMENT_END or (tok.type == tokenize.OP and tok.string == ";"):
            break
        if tok.type not in (tokenize.NL, tokenize.COMMENT):
            last = tok
    return last.end
