"""A t-SNE, UMAP or MDS layout whose coordinates reach only a figure: it places points, no result.

MycoAI's `evaluate.py` reduces a model's latent space with `TSNE().fit_transform(...)` only to
put the two coordinates in columns of a frame that `px.scatter` draws and `write_html` saves for
W&B; its `mycoai-map` script does the same for a "taxonomic map". The estimator is built without
`random_state`, so the picture moves from run to run, but no model, metric or selection reads
the layout. The bare-draw readings (figurepick) follow a numpy draw; this one follows what an
embedding estimator returns.

Read here: `Y = TSNE(...).fit_transform(X)` bound to one name in a function (not in a loop);
every later read, in that function, of `Y` or of what it reaches (a name assigned from it, or a
local frame whose column is stored from it) passes only through indexing, attributes and plain
container, frame or figure-building calls (`tolist`, `drop`, `px.scatter`, `go.Figure`, ...)
and ends in an assignment or in a statement that draws or saves the figure (`write_html`,
`savefig`, `show`). Any other call (a fit, a metric, `print`), a condition, a store into a
parameter or into `self`, a read from a nested function, or a return that some caller keeps (a
call of the function, in its module or another module of the folder, that is not a bare
statement, or the function named without being called) keeps the finding.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.randomness import Usage, enclosing_function

__all__ = ["embedding_plot_reason"]

_LAYOUTS = words("TSNE UMAP MDS")
_FIGURE_BUILDERS = words(
    "scatter scatter_3d line bar imshow Figure Scatter Scatter3d add_trace update_layout "
    "subplots make_subplots scatterplot relplot"
)
_FIGURE_SAVERS = words("write_html write_image savefig show")
_PASSES = words(
    "tolist copy astype reshape transpose ravel flatten concatenate stack hstack vstack list tuple "
    "len str round min max format enumerate zip array asarray squeeze drop merge concat DataFrame "
    "rename reset_index sort_values"
)

Scope = ast.FunctionDef | ast.AsyncFunctionDef


def embedding_plot_reason(
    use: Usage, call: ast.Call, cls: str, tree: ast.Module, others: Iterable[ast.Module]
) -> str | None:
    """Why an unseeded layout estimator changes no result: its coordinates are only drawn.

    Example:
        >>> code = (
        ...     "def show(x):\\n    y = TSNE().fit_transform(x)\\n"
        ...     "    fig = px.scatter(x=y[:, 0], y=y[:, 1])\\n    fig.write_html('a.html')\\n"
        ... )
        >>> tree = ast.parse(code)
        >>> tsne = tree.body[0].body[0].value.func.value
        >>> embedding_plot_reason(Usage(tree), tsne, "TSNE", tree, [])
        'its layout only reaches a figure (scatter, write_html); no fitted, scored or returned value depends on it'
    """
    start = _layout_statement(use, call, cls)
    if start is None:
        return None
    scope = enclosing_function(use, start)
    if scope is None or _in_loop(use, start, scope):
        return None
    flow = _Flow(use, scope, start)
    if not flow.run() or not flow.saved:
        return None
    if flow.returned and not _return_dropped(scope.name, [tree, *others]):
        return None
    return (
        f"its layout only reaches a figure ({', '.join(sorted(flow.drawn | flow.saved))}); "
        "no fitted, scored or returned value depends on it"
    )


def _layout_statement(use: Usage, call: ast.Call, cls: str) -> ast.Assign | None:
    """`Y = TSNE(...).fit_transform(X)`: the assignment, when the estimator is used only so."""
    if cls not in _LAYOUTS:
        return None
    attr = use.up(call)
    fit = use.up(attr) if isinstance(attr, ast.Attribute) else None
    if not (
        isinstance(attr, ast.Attribute)
        and attr.attr == "fit_transform"
        and isinstance(fit, ast.Call)
        and fit.func is attr
    ):
        return None
    stmt = use.up(fit)
    if (
        isinstance(stmt, ast.Assign)
        and stmt.value is fit
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        return stmt
    return None


def _in_loop(use: Usage, node: ast.AST, scope: Scope) -> bool:
    for parent in use.ancestors(node):
        if parent is scope:
            return False
        if isinstance(parent, ast.For | ast.AsyncFor | ast.While):
            return True
    return False


class _Flow:
    """The names the layout reaches in its function, after the line that makes it."""

    def __init__(self, use: Usage, scope: Scope, start: ast.Assign) -> None:
        self.use, self.scope, self.after = use, scope, start.end_lineno or start.lineno
        self.params = {a.arg for a in ast.walk(scope.args) if isinstance(a, ast.arg)}
        self.todo = [t.id for t in start.targets if isinstance(t, ast.Name)]
        self.seen: set[str] = set()
        self.drawn: set[str] = set()
        self.saved: set[str] = set()
        self.returned = False

    def run(self) -> bool:
        while self.todo:
            name = self.todo.pop()
            if name not in self.seen:
                self.seen.add(name)
                if not all(self._follow(read) for read in self._reads(name)):
                    return False
        return True

    def _reads(self, name: str) -> list[ast.Name]:
        return [
            node
            for node in ast.walk(self.scope)
            if isinstance(node, ast.Name)
            and node.id == name
            and isinstance(node.ctx, ast.Load)
            and node.lineno > self.after
        ]

    def _follow(self, node: ast.AST) -> bool:
        """Follow one read up to its statement: False when it may reach a result."""
        if enclosing_function(self.use, node) is not self.scope:
            return False  # read from a nested function
        parent = self.use.up(node)
        while parent is not None and not isinstance(parent, ast.stmt):
            if isinstance(parent, ast.Call):
                name = leaf_name(parent.func)
                if name in _FIGURE_BUILDERS:
                    self.drawn.add(name)
                elif name in _FIGURE_SAVERS:
                    self.saved.add(name)
                elif name not in _PASSES:
                    return False
            elif isinstance(parent, ast.NamedExpr | ast.Lambda | ast.comprehension):
                return False
            node, parent = parent, self.use.up(parent)
        return self._ends(node, parent)

    def _ends(self, node: ast.AST, stmt: ast.AST | None) -> bool:
        if isinstance(stmt, ast.Expr):
            return True  # a figure drawn or saved; any other call was refused on the way
        if isinstance(stmt, ast.Return):
            self.returned = True
            return True
        if isinstance(stmt, ast.Assign):
            if node is stmt.value:
                return all(self._bind(t) for t in stmt.targets)
            return node in stmt.targets  # `frame["Dim 1"] = ...`: a store into a frame it reaches
        return False

    def _bind(self, target: ast.AST) -> bool:
        """Follow what a store reaches: a name, or the local frame an item is stored in."""
        if isinstance(target, ast.Tuple | ast.List):
            return all(self._bind(t) for t in target.elts)
        root = target
        while isinstance(root, ast.Attribute | ast.Subscript):
            root = root.value
        if not isinstance(root, ast.Name) or root.id == "self":
            return False
        if root is not target and root.id in self.params and not self._rebound(root.id):
            return False  # a store into the caller's object
        self.todo.append(root.id)
        return True

    def _rebound(self, name: str) -> bool:
        """`data = pd.merge(...)` before the layout: the parameter names a local object now."""
        return any(
            isinstance(n, ast.Name)
            and n.id == name
            and isinstance(n.ctx, ast.Store)
            and isinstance(self.use.up(n), ast.Assign)
            and n.lineno <= self.after
            for n in ast.walk(self.scope)
        )


def _return_dropped(name: str, trees: Iterable[ast.Module]) -> bool:
    """Every use of the function `name`, in its module and the others of the folder, is a call
    whose value is dropped (a bare statement), and there is at least one."""
    calls = 0
    for tree in trees:
        parents = {
            id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
        for node in ast.walk(tree):
            named = (isinstance(node, ast.Name) and node.id == name) or (
                isinstance(node, ast.Attribute) and node.attr == name
            )
            if not named or isinstance(getattr(node, "ctx", None), ast.Store):
                continue
            call = parents.get(id(node))
            if not (isinstance(call, ast.Call) and call.func is node):
                return False
            if not isinstance(parents.get(id(call)), ast.Expr):
                return False
            calls += 1
    return calls > 0
