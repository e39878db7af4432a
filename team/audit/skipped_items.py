"""A broad `except: pass` that leaves one item out of a list a loop builds, so the
swallowed-exception rule (`backend.py`) does not read it as a hidden failure.

inginious' course list walks the user's recent submissions and, for each, looks up its course
and task, then appends the submission to `except_free_last_submissions`; a submission whose
course closed or whose task was deleted raises and is skipped on purpose. The try writes
nothing and ends by appending the item it walks: on failure the item is just not shown.

pulp-python's repair task tries each remote's URL in turn (`except Exception: continue`), takes
a package out of its `group_set` once repaired, and after the loop records what is left in
`group_set` as not repaired: the failure is kept and reported, only later.

Specter's new-wallet form collects a key and a cosigner per signer slot in a loop whose pass is
a `try` ending in `except: pass`; right after the loop, `if len(keys) != sigs_total or
len(cosigners) != sigs_total:` re-renders the form with an error. A slot that failed is missing
from the lists the next statement counts: the failure is shown to the user at once.
"""

from __future__ import annotations

import ast

__all__ = ["counted_after", "left_for_later", "skips_item"]


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


def left_for_later(tree: ast.Module, node: ast.Try) -> bool:
    """Whether the try's handler moves on to the next pass (`continue`) of a loop that takes
    each item it handles out of a collection (`pending.remove(item)`, `.discard`), and the code
    after the loop reads that collection: the items a failed pass left are recorded there.

    Example:
        >>> code = '''
        ... def repair(pending, urls):
        ...     for url in urls:
        ...         try:
        ...             data = fetch(url)
        ...         except Exception:
        ...             continue
        ...         for item in data:
        ...             pending.remove(item)
        ...     failed.update(pending)
        ... '''
        >>> tree = ast.parse(code)
        >>> left_for_later(tree, tree.body[0].body[0].body[0])
        True
        >>> tree = ast.parse(code.replace("    failed.update(pending)", ""))
        >>> left_for_later(tree, tree.body[0].body[0].body[0])
        False
    """
    if not any(isinstance(h.body[-1], ast.Continue) for h in node.handlers):
        return False
    for block in (b for n in ast.walk(tree) for b in _blocks(n)):
        for at, loop in enumerate(block):
            if not isinstance(loop, ast.For | ast.AsyncFor) or node not in loop.body:
                continue
            taken = {
                ast.unparse(c.func.value)
                for c in ast.walk(loop)
                if isinstance(c, ast.Call)
                and isinstance(c.func, ast.Attribute)
                and c.func.attr in ("remove", "discard")
            }
            after = {ast.unparse(n) for s in block[at + 1 :] for n in ast.walk(s)}
            return bool(taken & after)
    return False


def counted_after(tree: ast.Module, node: ast.Try) -> bool:
    """Whether the try `node` is the whole pass of a loop, its handler only passes or moves on,
    it appends to a list, and the statement right after the loop is an `if` that tests that
    list's length or emptiness: a pass that failed is counted missing there.

    Example:
        >>> code = '''
        ... def pick(form, n):
        ...     keys = []
        ...     for i in range(n):
        ...         try:
        ...             keys.append(lookup(form["key%d" % i]))
        ...         except:
        ...             pass
        ...     if len(keys) != n:
        ...         return error("pick a key for every signer")
        ... '''
        >>> tree = ast.parse(code)
        >>> counted_after(tree, tree.body[0].body[1].body[0])
        True
        >>> tree = ast.parse(code.replace("len(keys) != n", "n > 3"))
        >>> counted_after(tree, tree.body[0].body[1].body[0])
        False
    """
    if not all(all(isinstance(s, ast.Pass | ast.Continue) for s in h.body) for h in node.handlers):
        return False
    grown = {
        ast.unparse(c.func.value)
        for c in ast.walk(node)
        if isinstance(c, ast.Call)
        and isinstance(c.func, ast.Attribute)
        and c.func.attr in ("append", "add")
    }
    for block in (b for n in ast.walk(tree) for b in _blocks(n)):
        for at, loop in enumerate(block[:-1]):
            if isinstance(loop, ast.For | ast.AsyncFor) and loop.body == [node]:
                after = block[at + 1]
                return isinstance(after, ast.If) and bool(grown & _counted(after.test))
    return False


def _counted(test: ast.expr) -> set[str]:
    """The collections a condition counts: `len(keys)`, or tests empty (`not keys`)."""
    out: set[str] = set()
    for n in ast.walk(test):
        if isinstance(n, ast.Call) and ast.unparse(n.func) == "len" and n.args:
            out.add(ast.unparse(n.args[0]))
        elif isinstance(n, ast.UnaryOp) and isinstance(n.op, ast.Not):
            out.add(ast.unparse(n.operand))
    return out


def _blocks(node: ast.AST) -> list[list[ast.stmt]]:
    """The statement lists directly under a node (body, orelse, finalbody)."""
    return [
        b
        for b in (getattr(node, f, None) for f in ("body", "orelse", "finalbody"))
        if isinstance(b, list) and b and isinstance(b[0], ast.stmt)
    ]
