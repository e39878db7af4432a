"""A broad `except: pass` that leaves one item out of a list a loop builds, so the
swallowed-exception rule (`backend.py`) does not read it as a hidden failure.

inginious' course list walks the user's recent submissions and, for each, looks up its course
and task, then appends the submission to `except_free_last_submissions`; a submission whose
course closed or whose task was deleted raises and is skipped on purpose. The try writes
nothing and ends by appending the item it walks: on failure the item is just not shown.
"""

from __future__ import annotations

import ast

__all__ = ["skips_item"]


def skips_item(tree: ast.Module, node: ast.Try, writes: bool) -> bool:
    """Whether the try `node` is the whole pass of a loop, reads something first and ends by
    appending the loop's item itself to a list, and writes nothing (`writes` says if it calls
    a write). A try that only appends a row built from reads (askbot's `thread_list.append({
    "url": thread.get_absolute_url(), ...})`) still hides a failed read.

    Example:
        >>> code = '''
        ... for sub in subs:
        ...     try:
        ...         sub["task"] = courses[sub["courseid"]].get_task(sub["taskid"])
        ...         shown.append(sub)
        ...     except:
        ...         pass
        ... '''
        >>> tree = ast.parse(code)
        >>> skips_item(tree, tree.body[0].body[0], False)
        True
        >>> tree = ast.parse(code.replace("shown.append(sub)", "db.save(sub)"))
        >>> skips_item(tree, tree.body[0].body[0], True)
        False
    """
    if writes or len(node.body) < 2:
        return False
    last = node.body[-1]
    if not (
        isinstance(last, ast.Expr)
        and isinstance(last.value, ast.Call)
        and isinstance(last.value.func, ast.Attribute)
        and last.value.func.attr == "append"
        and len(last.value.args) == 1
        and isinstance(last.value.args[0], ast.Name)
    ):
        return False  # a row built from reads inside the append hides those reads' failures
    appended = last.value.args[0].id
    for loop in ast.walk(tree):
        if isinstance(loop, ast.For | ast.AsyncFor) and loop.body == [node]:
            return isinstance(loop.target, ast.Name) and loop.target.id == appended
    return False
