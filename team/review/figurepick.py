"""A draw whose values reach only a figure: it picks what a picture shows, no result.

The helpers of *Interpretable Machine Learning with Python* (machine-learning-datasets'
`interpret.py`) shuffle the indices of misclassified images with `np.random.shuffle` only to
choose which few of them `compare_image_predictions()` draws with `plt.imshow` and titles with
their labels; the one number it shows (the average difference) is computed over every image and
nothing is returned. A reader who wants the same figure seeds NumPy before the call.

Read here: the values of a bare draw (what it is bound to, or the array an in-place `shuffle`
reorders), followed through the names they are bound to, loop targets, indexing, arithmetic and
f-strings within the draw's scope, reach at least one drawing call of matplotlib or seaborn
(`imshow`, `scatter`, `title`, `subplot`, `ax.plot`, ...) and nothing else: no call that is not
a drawing or a plain container, shape or statistic function (a fit, a metric, `print`, a save),
no return, no condition, no attribute or container store, and no read from a nested function.
Reading only an array's `shape` depends on no drawn value. A value appended, as a statement, to a
list the scope builds empty (`res = []`, no parameter) is followed into that list: rlberry's
`plotting.py` bootstraps the mean of its curves (`np.mean`, `np.max`, `res.append`,
`np.quantile`) only for the half-width of the band `ax.fill_between` shades, and ml4climate's
lecture notebook draws two Gaussian classes only to scatter them with their means
(`z1.mean(0)`) and the direction `np.linalg.solve` gives between them. A value that passed such
a statistic may end only in geometry (`fill_between`, `scatter`, `plot`): written as text (a
title, a label, a legend, tick labels) it is a number the reader takes away, a result.
In a notebook a value handed, as a positional argument of a call that is a statement of its own,
to one of the notebook's own top-level functions that returns nothing is followed into that
function as its parameter (tsfresh's DFT notebook draws Gaussian noise only to hand it, and its
`rfft`, to `plot_x_and_rfft`): a notebook is imported by nothing, so the name is that function.
A discrete Fourier transform (`rfft`, `fft` and their inverses) passes the values on when it is
numpy's or scipy's. A parameter or lambda argument of the function's name, or a star import,
may bind the name to something else, and the value is then not followed.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.randomness import Usage, enclosing_function

__all__ = ["figure_pick_reason"]

_FIGURE_CALLS = words(
    "imshow matshow plot scatter bar barh hist hist2d text annotate fill_between errorbar "
    "contour contourf pcolormesh stem step pie boxplot violinplot heatmap axhline axvline "
    "title suptitle set_title xlabel ylabel set_xlabel set_ylabel legend xticks yticks "
    "set_xticks set_yticks set_xticklabels set_yticklabels subplot add_subplot"
)
_PLOTTING_LIBRARIES = ("matplotlib", "seaborn", "pylab")
_FIGURE_OBJECT = re.compile(r"^(ax|axs|axes|fig|figure)\d*$")
# Calls that only rebuild, order or measure a value (and f-string formatting): they pass it on.
# Statistics of the drawn values (a bootstrap's band, a sample's class means) and arithmetic on
# them (`sqrt`, the linear `solve` of a direction between means): numbers that only a figure's
# geometry may take. Written as text on the figure (a title, a label, a legend), such a number is a
# result that changes every run, so a value that passed one may end only in geometry.
# A spectrum's peak (`np.abs(spec).max()`) is such a number too: `max` and `min` are free as
# geometry (a band's `np.max` in `fill_between`), a result when written as text.
_STATISTICS = words("mean median std var quantile percentile sqrt solve max min")
_PASSES_VALUE = _STATISTICS | words(
    "enumerate zip list tuple sorted reversed range len int float str round abs format "
    "array asarray squeeze reshape transpose ravel flatten concatenate stack hstack vstack"
)
# A discrete Fourier transform passes values on only when it is numpy's or scipy's.
_FFT = words("fft ifft rfft irfft")
_FFT_LIBRARIES = ("numpy", "scipy")
# Drawing calls that write their arguments as text, and the arguments of any drawing call that do.
_TEXT_CALLS = re.compile(r"(sup|set_)?title|text|annotate|legend|(set_)?[xy]?(tick)?labels?")
_TEXT_KEYWORDS = words("label labels title")
_TICKS = words("xticks yticks set_xticks set_yticks")  # their second argument is the labels
_ARRAY_METHODS = words("copy tolist astype")
_DESCRIBES = words("shape ndim size dtype")
_CARRIES = (
    ast.Subscript,
    ast.Slice,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.BoolOp,
    ast.IfExp,
    ast.Tuple,
    ast.List,
    ast.Starred,
    ast.keyword,
    ast.JoinedStr,
    ast.FormattedValue,
    ast.ListComp,
    ast.GeneratorExp,
)
_INPLACE = frozenset({"shuffle"})
_NEW_ARRAYS = words("arange unique array copy list sorted nonzero flatnonzero argwhere")

Scope = ast.FunctionDef | ast.AsyncFunctionDef | None


def figure_pick_reason(use: Usage, call: ast.Call, *, notebook: bool = False) -> str | None:
    """Why a draw changes no result: every value it makes reaches only a figure. Else None.
    `notebook`: the module is a notebook, so its own functions are what its calls run.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = (
        ...     "import matplotlib.pyplot as plt\\n"
        ...     "def show(X):\\n    idx = np.arange(len(X))\\n    np.random.shuffle(idx)\\n"
        ...     "    for i in idx[:4]:\\n        plt.imshow(X[i])\\n"
        ... )
        >>> tree = ast.parse(code)
        >>> draw = tree.body[1].body[1].value
        >>> figure_pick_reason(Usage(tree), draw)
        'it only picks what a figure shows (imshow); no returned, fitted or printed value depends on it'
    """
    above = _above(use, call)
    scope = enclosing_function(use, call)
    inner = above[: above.index(scope)] if scope is not None else above
    if any(isinstance(node, ast.ClassDef) for node in inner):
        return None  # a class attribute is read through `self`, which is not followed here
    flow = _Flow(use, scope, _plotting_aliases(above[-1]), notebook=notebook)
    stmt, _ = use.holder(call)
    if leaf_name(call.func) in _INPLACE and isinstance(stmt, ast.Expr) and stmt.value is call:
        target = call.args[0] if len(call.args) == 1 and not call.keywords else None
        if not isinstance(target, ast.Name) or not _made_here(use, scope or above[-1], target.id):
            return None
        flow.skip = target
        flow.todo.append((target.id, False))
    elif not flow.follow(call):
        return None
    if not flow.run() or not flow.drawn:
        return None
    return (
        f"it only picks what a figure shows ({', '.join(sorted(flow.drawn))}); "
        "no returned, fitted or printed value depends on it"
    )


class _Flow:
    """The names a draw's values are bound to within one scope, followed to where they end."""

    def __init__(
        self, use: Usage, scope: Scope, plotting: frozenset[str], *, notebook: bool = False
    ) -> None:
        self.use, self.scope, self.plotting, self.notebook = use, scope, plotting, notebook
        # the notebook functions whose parameters are being followed (no recursion)
        self.entered: set[int] = set()
        # a name to follow, and whether its value passed a statistic (it may then only be drawn)
        self.todo: list[tuple[str, bool]] = []
        self.seen: set[tuple[str, bool]] = set()
        self.drawn: set[str] = set()
        self.skip: ast.Name | None = None

    def run(self) -> bool:
        while self.todo:
            name, stat = item = self.todo.pop()
            if item in self.seen:
                continue
            self.seen.add(item)
            if self._rebound_elsewhere(name):
                return False
            for load in self.use.loads.get(name, []):
                if load is self.skip or enclosing_function(self.use, load) is not self.scope:
                    continue
                if not self.follow(load, stat=stat):
                    return False
        return True

    def _rebound_elsewhere(self, name: str) -> bool:
        """A read of `name` from a function nested in the scope (or, for a module-level draw,
        from any function), or a `global`/`nonlocal` of it: the flow leaves what is read here."""
        for load in self.use.loads.get(name, []):
            func = enclosing_function(self.use, load)
            if func is not self.scope and (
                self.scope is None or self.scope in _above(self.use, func)
            ):
                return True
        body = self.scope.body if self.scope is not None else []
        return any(
            isinstance(n, ast.Global | ast.Nonlocal) and name in n.names
            for stmt in body
            for n in ast.walk(stmt)
        )

    def follow(self, node: ast.AST, *, stat: bool = False) -> bool:
        """Follow one drawn value up to its statement: False when it may reach a result. `stat`:
        the value passed a statistic, so a call writing it as text shows a result."""
        drawn = False
        parent = self.use.up(node)
        while parent is not None and not isinstance(parent, ast.stmt):
            if (collected := self._appended_to(parent, node, stat)) is not None:
                return collected
            if isinstance(parent, ast.Call):
                if (handed := self._handed(parent, node, stat)) is not None:
                    return handed
                if parent.func is node or not (passed := self._passes(parent, receiver=False)):
                    return False
                if passed == "drawn" and stat and _writes(parent, node):
                    return False
                drawn = drawn or passed == "drawn"
                stat = stat or leaf_name(parent.func) in _STATISTICS
            elif isinstance(parent, ast.Attribute):
                if parent.attr == "append" and self._appending(parent):
                    return True  # the list taking a value in, not giving one out
                if parent.attr in _DESCRIBES:
                    return True  # its shape, not its values
                method = self.use.up(parent)
                if isinstance(method, ast.Call) and method.func is parent:
                    if not (passed := self._passes(method, receiver=True)):
                        return False
                    drawn = drawn or passed == "drawn"
                    stat = stat or parent.attr in _STATISTICS
                    parent = method
            elif isinstance(parent, ast.comprehension):
                comp = self.use.up(parent)
                if parent.iter is not node or not isinstance(comp, ast.ListComp | ast.GeneratorExp):
                    return False
                if not self._bind(parent.target, stat):
                    return False
                parent = comp
            elif not isinstance(parent, _CARRIES):
                return False
            node, parent = parent, self.use.up(parent)
        if isinstance(parent, ast.Expr):
            return drawn  # a bare value left in a notebook cell is displayed
        return self._ends(node, parent, stat)

    def _handed(self, call: ast.Call, arg: ast.AST, stat: bool) -> bool | None:
        """`show(noise)` as a statement, `show` a top-level function of this notebook that returns
        nothing: whether the parameter `arg` binds reaches only a figure in it. None when the
        call is not such a call."""
        if not (self.notebook and isinstance(call.func, ast.Name) and arg in call.args):
            return None
        func = _own_function(self.use, call)
        if func is None or not isinstance(self.use.up(call), ast.Expr):
            return None
        params = [*func.args.posonlyargs, *func.args.args]
        index = call.args.index(arg)
        if (
            id(func) in self.entered
            or index >= len(params)
            or any(isinstance(a, ast.Starred) for a in call.args[: index + 1])
        ):
            return False
        inner = _Flow(self.use, func, self.plotting, notebook=True)
        inner.entered, inner.drawn = self.entered | {id(func)}, self.drawn
        inner.todo.append((params[index].arg, stat))
        return inner.run()

    def _appended_to(self, parent: ast.AST, node: ast.AST, stat: bool) -> bool | None:
        """`res.append(value)` as a statement of its own: the value joins the list `res`, which
        is then followed; None for any other node."""
        if not (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr == "append"
            and parent.args == [node]
            and isinstance(parent.func.value, ast.Name)
        ):
            return None
        stmt, into = self.use.up(parent), parent.func.value
        where = self.scope or _above(self.use, parent)[-1]
        return (
            isinstance(stmt, ast.Expr)
            and _new_list(self.use, where, into.id)
            and self._bind(into, stat)
        )

    def _appending(self, method: ast.Attribute) -> bool:
        call = self.use.up(method)
        return (
            isinstance(call, ast.Call)
            and call.func is method
            and isinstance(self.use.up(call), ast.Expr)
        )

    def _passes(self, call: ast.Call, *, receiver: bool) -> str | None:
        """`drawn` for a drawing call (noted), `passed` for one that only passes the value on."""
        name = leaf_name(call.func)
        if self._draws(call, receiver=receiver):
            self.drawn.add(name)
            return "drawn"
        if name in _PASSES_VALUE or (receiver and name in _ARRAY_METHODS):
            return "passed"
        if name in _FFT and not receiver and _from_libraries(self.use, call, _FFT_LIBRARIES):
            return "passed"
        return None

    def _draws(self, call: ast.Call, *, receiver: bool) -> bool:
        name = leaf_name(call.func)
        if name not in _FIGURE_CALLS and "plot" not in name.lower():
            return False
        if receiver:  # `series.plot()`, `values.hist()`: the drawn value plots itself
            return True
        head = call.func
        while isinstance(head, ast.Attribute | ast.Subscript | ast.Call):
            head = head.func if isinstance(head, ast.Call) else head.value
        if not isinstance(head, ast.Name):
            return False
        return head.id in self.plotting or bool(_FIGURE_OBJECT.match(head.id))

    def _ends(self, node: ast.AST, stmt: ast.AST | None, stat: bool) -> bool:
        if isinstance(stmt, ast.Assign) and stmt.value is node:
            return all(self._bind(t, stat) for t in stmt.targets)
        if isinstance(stmt, ast.AugAssign | ast.AnnAssign) and stmt.value is node:
            return self._bind(stmt.target, stat)
        if isinstance(stmt, ast.For | ast.AsyncFor) and stmt.iter is node:
            return self._bind(stmt.target, stat)
        return False

    def _bind(self, target: ast.AST, stat: bool = False) -> bool:
        """Follow the names `target` binds; False for an attribute or item store."""
        if isinstance(target, ast.Starred):
            target = target.value
        if isinstance(target, ast.Name):
            self.todo.append((target.id, stat))
            return True
        if isinstance(target, ast.Tuple | ast.List):
            return all(self._bind(t, stat) for t in target.elts)
        return False


def _writes(call: ast.Call, arg: ast.AST) -> bool:
    """The drawing `call` writes its argument `arg` as text: a title, a label, a legend, an
    annotation, tick labels, or a `label=`/`title=` of any drawing call."""
    if isinstance(arg, ast.keyword):
        return arg.arg in _TEXT_KEYWORDS
    name = leaf_name(call.func)
    return bool(_TEXT_CALLS.fullmatch(name)) or (name in _TICKS and call.args[:1] != [arg])


def _own_function(use: Usage, call: ast.Call) -> ast.FunctionDef | None:
    """The function `call` names: the notebook's one top-level, undecorated function of that name,
    returning no value, with nothing else binding the name; else None."""
    module = _above(use, call)[-1]
    name = call.func.id if isinstance(call.func, ast.Name) else None
    found: list[ast.AST] = []
    for node in ast.walk(module):
        # a parameter or lambda argument of the name may hold anything, a star import bind it
        if _bound_name(node) == name or (
            isinstance(node, ast.alias) and (node.asname or node.name) in (name, "*")
        ):
            found.append(node)
    func = found[0] if len(found) == 1 else None
    if not (isinstance(func, ast.FunctionDef) and use.up(func) is module) or func.decorator_list:
        return None
    ends = (n for n in ast.walk(func) if isinstance(n, ast.Return | ast.Yield | ast.YieldFrom))
    return None if any(n.value is not None for n in ends) else func


def _from_libraries(use: Usage, call: ast.Call, libraries: tuple[str, ...]) -> bool:
    """The name `call` starts from (`np` of `np.fft.rfft`, or `rfft` itself) is bound only by
    imports from `libraries` (`import numpy as np`, `from scipy.fft import rfft`): not the
    notebook's own `def rfft`, a parameter, an assignment or a star import."""
    head = call.func
    while isinstance(head, ast.Attribute):
        head = head.value
    if not isinstance(head, ast.Name):
        return False
    name, module = head.id, _above(use, call)[-1]
    imported = False
    for node in ast.walk(module):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                if bound not in (name, "*"):
                    continue
                source = (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
                if bound == "*" or source.split(".")[0] not in libraries:
                    return False
                imported = True
        elif _bound_name(node) == name:
            return False
    return imported


def _bound_name(node: ast.AST) -> str | None:
    """The name a def, a class, a parameter or a store binds; None for any other node."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
        return node.id
    return None


def _made_here(use: Usage, where: ast.AST, name: str) -> bool:
    """Every binding of `name` in the function (or module) `where` makes a new array or list
    (`np.unique(...)`, `np.arange(n)`), never a parameter, so shuffling it in place reorders
    nothing a caller or another name holds."""
    return _bound_only_to(
        use,
        where,
        name,
        lambda v: isinstance(v, ast.Call) and leaf_name(v.func) in _NEW_ARRAYS,
    )


def _new_list(use: Usage, where: ast.AST, name: str) -> bool:
    """Every binding of `name` in `where` is an empty list literal (`res = []`), never a
    parameter: appending to it changes nothing a caller holds."""
    return _bound_only_to(use, where, name, lambda v: isinstance(v, ast.List) and not v.elts)


def _bound_only_to(
    use: Usage, where: ast.AST, name: str, fresh: Callable[[ast.expr], bool]
) -> bool:
    params = [a.arg for a in ast.walk(where) if isinstance(a, ast.arg)]
    stores = [
        n
        for n in ast.walk(where)
        if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
    ]
    return (
        name not in params
        and bool(stores)
        and all(
            isinstance(assign := use.up(n), ast.Assign)
            and assign.targets == [n]
            and fresh(assign.value)
            for n in stores
        )
    )


def _above(use: Usage, node: ast.AST | None) -> list[ast.AST]:
    """The nodes `node` sits in, innermost first (the module last)."""
    out: list[ast.AST] = []
    while node is not None and (node := use.up(node)) is not None:
        out.append(node)
    return out


def _plotting_aliases(module: ast.AST) -> frozenset[str]:
    """The names a module binds to matplotlib, seaborn or pylab (`plt`, `sns`, `imshow`)."""
    out: set[str] = set()
    for node in ast.walk(module):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _PLOTTING_LIBRARIES:
                    out.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in (
            _PLOTTING_LIBRARIES
        ):
            out |= {alias.asname or alias.name for alias in node.names}
    return frozenset(out)
