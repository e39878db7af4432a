"""A file that does not parse here because it is written for another Python: why, or None.

A file is not reviewed, and says so, when the Python running the review is older than the one
it is written for: the package declares a newer `requires-python` (pyproject.toml, setup.cfg or
PKG-INFO), or the syntax error is one Python 3.12's f-string grammar accepts (PEP 701); or when
it is written for Python 2 in a package that declares Python 2 only (`python2.py`). Python 2 code
in a package that does not say so (a notebook cell with `print x` in a Python 3 project) is a
parse-error: that code does not run where the project runs.
The roles who ship the code (`team.audit`) report a 3.12 f-string in a package that declares an
older Python 3 as a parse-error that says so (`declared_too_old`): the file does not import where
the package says it runs.

From 3.12 a replacement field of an f-string is ordinary code: it may reuse the f-string's own
quote (`f'{d['key']}'`), hold a backslash or a comment, and span lines in a one-quote f-string.
A 3.11 parser refuses all four, so a file of credmodex 0.2.8 (`print(f'{'':=^100}')`) could not
be read. The review does not guess what such a file means (a 3.11 tokenizer cannot split it); it
says the file needs a newer Python. `needs_pep701` tells that apart from a real syntax error: the
f-strings that use the new grammar are blanked, and the rest of the module and every expression
inside those f-strings must then parse. `f'{a b}'` stays a syntax error.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from pathlib import Path

from team.review.python2 import declares_python2, nearest_metadata, reads_as_python2

__all__ = ["declared_too_old", "needs_pep701", "required_python", "why_unread"]

_RUNNING = sys.version_info[:2]
_REQUIRES = re.compile(
    r"^\s*(?:requires-python|python_requires|Requires-Python)\s*[=:]\s*[\"']?\s*>=?\s*3\.(\d+)",
    re.MULTILINE,
)
_METADATA = ("pyproject.toml", "setup.cfg", "PKG-INFO")
_START = re.compile(r"(?:(?<![\w.])([rRbBuUfF]{1,2}))?('''|\"\"\"|'|\")")
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def why_unread(source: str, path: Path | None = None) -> str | None:
    """Why `source` (which does not parse here) needs a newer Python than this one, or None
    when its syntax error is a real one.

    Example:
        >>> why_unread("x = f'{d['key']}'\\n")
        "needs Python 3.12: an f-string's replacement field reuses its quotes, or holds a backslash or a comment (PEP 701); this review runs Python 3.11"
        >>> why_unread("print 'x' y\\n") is None
        True
    """
    running = f"this review runs Python {_RUNNING[0]}.{_RUNNING[1]}"
    if _RUNNING < (3, 12) and needs_pep701(source):
        return (
            "needs Python 3.12: an f-string's replacement field reuses its quotes, or holds a "
            f"backslash or a comment (PEP 701); {running}"
        )
    minor = required_python(path.parent) if path is not None else None
    if minor is not None and (3, minor) > _RUNNING:
        return f"the package requires Python >= 3.{minor}; {running}"
    if path is not None and declares_python2(path.parent) and reads_as_python2(source):
        return (
            "written for Python 2, the only Python its package declares (print statement, "
            f"`except E, e:` or backquotes); {running}"
        )
    return None


def declared_too_old(source: str, path: Path) -> str | None:
    """Why `source` fails where its own package says it runs, or None: it needs Python 3.12's
    f-string grammar while the package declares an older Python 3 (tendenci 16.30 declares
    `>=3.10`, and its events/forms.py does not import there). A packaging fault for the roles
    who ship the code; the ML review, which reads code for its modelling, notes it unread.

    Example:
        >>> declared_too_old("x = f'{a b}'\\n", Path("m.py")) is None  # a real syntax error
        True
    """
    minor = required_python(path.parent)
    if minor is None or minor >= 12 or not needs_pep701(source):
        return None
    return (
        "needs Python 3.12 (an f-string's replacement field reuses its quotes, or holds a "
        f"backslash or a comment, PEP 701) but its package declares Python >= 3.{minor}, "
        "where this file does not import"
    )


@functools.lru_cache(maxsize=256)
def required_python(folder: Path) -> int | None:
    """The minor version of the lowest Python 3 the nearest package metadata at or above
    `folder` allows (`requires-python = ">=3.12"` gives 12), or None when it says none."""
    text = nearest_metadata(folder, _METADATA)
    match = _REQUIRES.search(text) if text is not None else None
    return int(match.group(1)) if match else None


def needs_pep701(source: str) -> bool:
    """True when `source` does not parse on this Python but does once read with the f-string
    grammar of Python 3.12 (PEP 701): the module parses with those f-strings blanked, and so does
    every expression in their replacement fields.

    Example:
        >>> needs_pep701("x = f'{d['key']}'\\n")
        True
        >>> needs_pep701("x = f'{d[\\"key\\"]}'\\n")  # valid on 3.11 already
        False
        >>> needs_pep701("x = f'{d['key'] d}'\\n")  # a syntax error on any Python
        False
    """
    if _parses(source, "exec"):
        return False
    try:
        blanked, fields = _Scanner(source).blank()
        return bool(fields) and _valid(blanked, fields, "exec")
    except RecursionError:
        return False


def _valid(blanked: str, fields: list[str], mode: str) -> bool:
    """`blanked` parses and every field expression does (blanking their own newer f-strings)."""
    if not _parses(blanked, mode):
        return False
    for field in fields:
        text = "(" + field.rstrip().removesuffix("=") + "\n)"
        if not _parses(text, "eval"):
            inner, nested = _Scanner(text).blank()
            if not nested or not _valid(inner, nested, "eval"):
                return False
    return True


def _parses(text: str, mode: str) -> bool:
    try:
        ast.parse(text, mode=mode)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


class _Scanner:
    """A PEP 701 reading of a module's strings: where each f-string starts and ends, the text
    of its replacement fields, and whether it uses what only 3.12 accepts."""

    def __init__(self, source: str) -> None:
        self.src = source
        self.newer = False

    def blank(self) -> tuple[str, list[str]]:
        """The source with each top-level f-string that needs 3.12 made an empty string (its
        lines kept), and the field expressions of those f-strings."""
        out, fields, done, i = [], [], 0, 0
        while i < len(self.src):
            i, start, _ = self._code_until(i, None, 0)
            if start is None:
                break
            self.newer = False
            found: list[str] = []
            end = self._string(start, quote_of=None, fields=found)
            if self.newer and self._is_f(start):
                lines = self.src.count("\n", start, end)
                out += [self.src[done:start], '"""' + "\n" * lines + '"""']
                fields += found
                done = end
            i = end
        return "".join([*out, self.src[done:]]), fields

    def _is_f(self, start: int) -> bool:
        match = _START.match(self.src, start)
        return match is not None and "f" in (match.group(1) or "").lower()

    def _code_until(self, i: int, stop: str | None, depth: int) -> tuple[int, int | None, int]:
        """Scan code from `i` (at bracket `depth`) to the next string start (returned second)
        or, inside a field of an f-string quoted `stop`, to the end of its expression at depth 0
        (`}`, `!`, `:`); the bracket depth reached is returned last."""
        while i < len(self.src):
            char = self.src[i]
            if char == "#":
                if stop is not None:
                    self.newer = True
                i = self.src.find("\n", i)
                i = len(self.src) if i < 0 else i
                continue
            if char in "'\"" or char.isalpha():
                match = _START.match(self.src, i)
                if match and (char in "'\"" or match.group(1)):
                    return i, i, depth
                while i < len(self.src) and (self.src[i].isalnum() or self.src[i] == "_"):
                    i += 1
                continue
            if stop is not None:
                if char == "\\":
                    self.newer = True
                if char == "\n" and stop in "'\"":
                    self.newer = True
                if depth == 0 and (
                    char == "}" or char == ":" or (char == "!" and self._peek(i + 1) != "=")
                ):
                    return i, None, depth
            depth += (char in _CLOSE) - (char in _CLOSE.values())
            i += 1
        return i, None, depth

    def _peek(self, i: int) -> str:
        return self.src[i] if i < len(self.src) else ""

    def _string(self, start: int, quote_of: str | None, fields: list[str]) -> int:
        """Index after the string literal at `start`; its fields' texts go to `fields`. Inside a
        field of an f-string quoted `quote_of`, reusing that quote is 3.12 grammar."""
        match = _START.match(self.src, start)
        assert match is not None
        prefix, quote = (match.group(1) or "").lower(), match.group(2)
        if quote_of is not None and (
            quote == quote_of or (len(quote_of) == 1 and quote[0] == quote_of)
        ):
            self.newer = True
        i = match.end()
        while i < len(self.src):
            if self.src.startswith(quote, i):
                return i + len(quote)
            char = self.src[i]
            if char == "\\":
                i += 2
            elif char == "\n" and len(quote) == 1:
                return i  # unterminated: a real error, left to the parser
            elif "f" in prefix and char in "{}" and self._peek(i + 1) == char:
                i += 2
            elif "f" in prefix and char == "{":
                i = self._field(i + 1, quote, fields)
            else:
                i += 1
        return i

    def _field(self, i: int, quote: str, fields: list[str]) -> int:
        """Index after the replacement field whose code starts at `i` (its `}`)."""
        begin, depth = i, 0
        while i < len(self.src):
            i, start, depth = self._code_until(i, quote, depth)
            if start is not None:
                i = self._string(start, quote, fields)
                continue
            break
        fields.append(self.src[begin:i])
        while i < len(self.src) and self.src[i] != "}":
            char = self.src[i]
            if char == "{":
                i = self._field(i + 1, quote, fields)
            elif self.src.startswith(quote, i):
                return i
            else:
                i += 1
        return i + 1
