"""Handler parameters that the route itself converts to a number.

Lute's termtag delete view pastes its route parameter into SQL,

    @bp.route("/delete/<int:termtagid>", methods=["POST"])
    def delete(termtagid):
        sql = f"delete from wordtags where WtTgID = {termtagid}"

and the `<int:...>` converter answers 404 to anything but digits before the view runs, so only an
integer reaches the text. Starlette (and FastAPI) write the same as `{termtagid:int}`.
"""

from __future__ import annotations

import ast
import re

__all__ = ["route_numbers"]

# Werkzeug's <int:name> and <float:name>; Starlette's {name:int} and {name:float}
_CONVERTED = re.compile(r"<(?:int|float)(?:\([^)>]*\))?:(\w+)>|\{(\w+):(?:int|float)\}")


def route_numbers(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """The parameters of `fn` that a route decorator's path converts to a number.

    Example:
        >>> tree = ast.parse(
        ...     "@bp.route('/tag/<int:tag_id>/<name>')\\n"
        ...     "@app.get('/items/{item_id:int}')\\n"
        ...     "def view(tag_id, name, item_id): ..."
        ... )
        >>> sorted(route_numbers(tree.body[0]))
        ['item_id', 'tag_id']
    """
    declared = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
    out: set[str] = set()
    for decorator in fn.decorator_list:
        if not isinstance(decorator, ast.Call):
            continue
        paths = [*decorator.args[:1], *(k.value for k in decorator.keywords if k.arg in _PATH)]
        for path in paths:
            if isinstance(path, ast.Constant) and isinstance(path.value, str):
                out |= {a or b for a, b in _CONVERTED.findall(path.value)}
    return out & declared


_PATH = frozenset({"rule", "path"})
