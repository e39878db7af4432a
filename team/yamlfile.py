"""Strict YAML loading: pydantic validation errors become one line with the file and line."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, RootModel, ValidationError

from team.errors import TeamError

__all__ = ["load_model", "read_text"]

M = TypeVar("M", bound=BaseModel)


MAX_FILE_BYTES = 1024 * 1024
"""The largest card, topology or scenario file read (any of them is a few KiB)."""


def read_text(path: Path, *, what: str) -> str:
    """Read a UTF-8 file, turning every failure into a one-line ``TeamError``.

    Only a regular file is read (a FIFO, a device or ``/proc`` file behind a symlink is
    refused before anything blocks), and only up to ``MAX_FILE_BYTES``.

    Args:
        path: The file to read.
        what: What the file is, for the message ("card", "scenario", ...).

    Example:
        >>> read_text(Path("graphs/default.yaml"), what="topology").splitlines()[1]
        'name: default'
    """
    try:
        data = _read_regular(path, what)
    except FileNotFoundError:
        raise TeamError(f"{what} file not found", path=path) from None
    except IsADirectoryError:
        raise TeamError(f"{what} path is a directory, expected a file", path=path) from None
    except OSError as exc:
        raise TeamError(f"cannot read {what}: {exc.strerror}", path=path) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TeamError(
            f"{what} is not valid UTF-8 (byte 0x{data[exc.start]:02x})", path=path, line=line
        ) from None


def _read_regular(path: Path, what: str) -> bytes:
    if not stat.S_ISREG(mode := os.stat(path).st_mode):
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(path)
        raise TeamError(f"{what} is a {_kind(mode)}, not a regular file", path=path)
    # Non-blocking: a file swapped for a FIFO after the check cannot hang the open.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise TeamError(f"{what} is a {_kind(mode)}, not a regular file", path=path)
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise TeamError(f"{what} file is over {MAX_FILE_BYTES} bytes", path=path)
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "special file"


def _node_line(node: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """Follow a pydantic error location through the YAML node tree to a line number."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = next(
                (
                    (k, v)
                    for k, v in node.value
                    if isinstance(k, yaml.ScalarNode) and k.value == key
                ),
                None,
            )
            if found is None:
                return line
            # Unknown keys are reported on the key itself; values on the value.
            key_node, node = found
            line = key_node.start_mark.line + 1
            if isinstance(node, yaml.ScalarNode):
                line = node.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            if key >= len(node.value):
                return line
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _refuse_duplicate_keys(root: yaml.Node | None, path: Path) -> None:
    """YAML keeps the last of two equal keys silently; a hand-written file means neither."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        raise TeamError(
                            f"duplicate key '{key.value}' (first at line {seen[key.value]})",
                            path=path,
                            line=line,
                        )
                    seen[key.value] = line
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return f"unknown key '{error['loc'][-1]}'"
    if error["type"] == "missing":
        return f"missing required key '{loc}'"
    message = error["msg"].removeprefix("Value error, ")
    return f"{loc}: {message}" if loc else message


def load_model(
    model: type[M], path: Path, *, what: str, context: dict[str, Any] | None = None
) -> M:
    """Load a YAML file into a strict pydantic model, with one-line errors that carry the line.

    Args:
        model: The pydantic model class (it should forbid extra keys).
        path: The YAML file.
        what: What the file is, for messages.
        context: Passed to pydantic validation.

    Example:
        >>> from team.topology import Topology
        >>> load_model(Topology, Path("graphs/default.yaml"), what="topology").name
        'default'
    """
    text = read_text(path, what=what)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        _refuse_duplicate_keys(node, path)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        line = mark.line + 1 if mark is not None else None
        raise TeamError(f"invalid YAML: {problem}", path=path, line=line) from None
    except RecursionError:
        raise TeamError(f"invalid YAML: {what} nests too deeply", path=path) from None
    if data is None:
        raise TeamError(f"empty {what} file", path=path, line=1)
    listed = issubclass(model, RootModel)  # a file that is one YAML list
    if not isinstance(data, list if listed else dict):
        kind = "list" if listed else "mapping"
        raise TeamError(
            f"{what} must be a YAML {kind}, got {type(data).__name__}", path=path, line=1
        )
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        first = exc.errors()[0]
        line = _node_line(node, tuple(first["loc"]))
        raise TeamError(_describe(dict(first)), path=path, line=line) from None
