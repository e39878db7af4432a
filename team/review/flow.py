"""Data-flow helpers: a small abstract interpreter over one module's statements.

It walks statements in order (both branches of an `if`, a loop body once per literal item),
binds names to abstract values (`values.Data`, `values.Est`, ...) and inlines calls to
functions defined in the repository, so a helper that returns a fitted scaler or a transformed
frame is followed. Library calls are given meaning in `calls.py`. What it observes (fits,
splits, evaluations) goes into a `values.Record` that the rules read.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from team.review import calls, inline
from team.review.calltools import arith, ests
from team.review.catalog import role_hint
from team.review.deviations import summed_on_the_spot
from team.review.inline import MAX_DEPTH, MAX_STEPS
from team.review.residuals import as_residual, scales_error
from team.review.scope import Scope
from team.review.sources import SourceFile
from team.review.values import (
    ClassRef,
    Const,
    Data,
    DictV,
    Est,
    FuncRef,
    ModRef,
    Obj,
    Origin,
    Record,
    Tup,
    combine,
)

if TYPE_CHECKING:
    from team.review.interfaces import Workspace

__all__ = ["MAX_DEPTH", "MAX_STEPS", "Interpreter", "Scope"]

MAX_UNROLL = 8


def _computed(stmt: ast.AST) -> bool:
    """An assignment whose value is computed (arithmetic, `np.dot`), not a selected column."""
    value = getattr(stmt, "value", None)
    if value is None or any(
        isinstance(n, ast.Subscript) and isinstance(n.slice, ast.Constant) for n in ast.walk(value)
    ):
        return False
    return isinstance(value, ast.BinOp) or (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute | ast.Name)
        and (value.func.attr if isinstance(value.func, ast.Attribute) else value.func.id)
        in ("dot", "matmul", "sign", "where", "einsum")
    )


def _renames(sc: Scope, name: str, value: Data) -> bool:
    """`X_test = encoder.fit_transform(X, y)`: the value's rows are already bound, unsplit and
    unnamed, to another variable, so the new name claims a role no split gave it (category
    encoders' example calls the whole encoded dataset `X_test` and cross-validates it). Rows
    loaded fresh (`X_test = load_holdout()`) have no other name and keep the name's role."""
    scopes = [sc.env, *([sc.globals] if sc.globals is not None else [])]
    return any(
        isinstance(other, Data) and other.hint is None and not other.path and other.ids & value.ids
        for env in scopes
        for key, other in env.items()
        if key != name
    )


_ORDER: dict[type, Callable[[float, float], bool]] = {
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
}
_TARGET_NAME = re.compile(r"^(y|Y|targets?|labels?)(_\w+)?$")


class Interpreter:
    """Abstract interpretation of one analysis entry (a module body or one function)."""

    def __init__(self, ws: Workspace, entry: SourceFile, record: Record, *, quiet: bool = False):
        self.ws = ws
        self.repo = ws.repo
        self.entry = entry
        self.record = record
        self.quiet = quiet
        self.steps = 0
        self.active: set[int] = set()
        self.entry_env: dict[str, object] = {}
        # ids of the arithmetic that is an operand of an `if`/`while` test's comparison chain:
        # it only decides a branch (`if len(df) * df.text.map(len).mean() / 1e6 > 1:`)
        self.compared: set[int] = set()

    # -- entry points -------------------------------------------------------------------------
    def run_module(self, env: dict[str, object]) -> None:
        """Interpret a module's top-level code into `env`."""
        self.entry_env = env
        self.exec_body(Scope(self.entry, env, None, func=self.entry.tree), self.entry.tree.body)

    def run_function(
        self, node: ast.AST, owner: ast.ClassDef | None, env: dict[str, object]
    ) -> None:
        """Interpret one function as an entry point, its parameters unknown."""
        self.entry_env = env
        bound = None
        if owner is not None:
            bound = Obj(ClassRef(owner, self.entry))
            init = next(
                (
                    n
                    for n in owner.body
                    if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
                    and n.name == "__init__"
                ),
                None,
            )
            if init is not None and init is not node:
                inline.invoke(
                    self, Scope(self.entry, {}, env), FuncRef(init, self.entry, bound), [], {}, None
                )
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            return
        result = inline.invoke(
            self, Scope(self.entry, {}, env), FuncRef(node, self.entry, bound), [], {}, None
        )
        kept = bound.attrs.values() if bound else ()
        for est in ests(result, *kept):
            self.record.escapes.add(est.uid)

    # -- helpers ------------------------------------------------------------------------------
    def origin(self, sc: Scope, node: ast.AST) -> Origin:
        """Where `node` is, and the line of the analysed file that led there."""
        line = getattr(node, "lineno", 1)
        site = line
        for path, at in reversed((*sc.frames, (sc.src.rel, line))):
            if path == self.entry.rel:
                site = at
                break
        return Origin(sc.src.rel, line, site)

    def lookup(self, sc: Scope, name: str) -> object | None:
        if name in sc.env:
            return sc.env[name]
        if sc.globals is not None and name in sc.globals:
            return sc.globals[name]
        return None

    def resolve(self, qual: str) -> object | None:
        """A function or class of the repository for a qualified name."""
        found = self.repo.resolve(qual)
        if found is None or found[1] is None:
            return None
        src, node = found
        if isinstance(node, ast.ClassDef):
            return ClassRef(node, src)
        return FuncRef(node, src)  # type: ignore[arg-type]

    def bind_import(self, sc: Scope, node: ast.Import | ast.ImportFrom) -> None:
        table = self.repo.imports(sc.src)
        for alias in node.names:
            if alias.name == "*":
                continue
            name = alias.asname or alias.name.split(".")[0]
            qual = table.get(name, name)
            sc.env[name] = self.resolve(qual) or self.imported_value(qual) or ModRef(qual)

    def imported_value(self, qual: str) -> object | None:
        """A module-level constant or object imported from another repository module."""
        head, _, name = qual.rpartition(".")
        src = self.repo.by_module.get(head)
        if src is None or src is self.entry:
            return None
        value = self.ws.module_env(src).get(name)
        return value if isinstance(value, Const | Tup | DictV) else None

    # -- statements ---------------------------------------------------------------------------
    def exec_body(self, sc: Scope, body: list[ast.stmt]) -> None:
        for stmt in body:
            self.steps += 1
            if self.steps > MAX_STEPS:
                return
            self.exec_stmt(sc, stmt)

    def exec_stmt(self, sc: Scope, s: ast.stmt) -> None:
        if isinstance(s, ast.Assign):
            value = self.ev(sc, s.value)
            for target in s.targets:
                self.assign(sc, target, value, s)
        elif isinstance(s, ast.AnnAssign) and s.value is not None:
            self.assign(sc, s.target, self.ev(sc, s.value), s)
        elif isinstance(s, ast.AugAssign):
            current = self.ev(sc, s.target)
            value = self.ev(sc, s.value)
            at = self.origin(sc, s)
            joined = arith(self, current, value, at=at, affine=_affine(s.op)) or current
            self.assign(sc, s.target, joined, s)
        elif isinstance(s, ast.Expr):
            self.ev(sc, s.value)
        elif isinstance(s, ast.Return):
            sc.returns.append(self.ev(sc, s.value) if s.value is not None else None)
        elif isinstance(s, ast.If | ast.While):
            operands = {id(n) for n in _compared(s.test)} - self.compared
            self.compared |= operands
            try:
                self.ev(sc, s.test)
            finally:
                self.compared -= operands
            known = self.truth(sc, s.test) if isinstance(s, ast.If) else None
            if known is not False:
                self.exec_body(sc, s.body)
            if known is not True:
                self.exec_body(sc, s.orelse)
        elif isinstance(s, ast.For | ast.AsyncFor):
            self.exec_for(sc, s)
        elif isinstance(s, ast.With | ast.AsyncWith):
            for item in s.items:
                value = self.ev(sc, item.context_expr)
                if item.optional_vars is not None:
                    self.assign(sc, item.optional_vars, value, s)
            self.exec_body(sc, s.body)
        elif isinstance(s, ast.Try | ast.TryStar):
            self.exec_body(sc, s.body)
            for handler in s.handlers:
                self.exec_body(sc, handler.body)
            self.exec_body(sc, s.orelse)
            self.exec_body(sc, s.finalbody)
        elif isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef):
            sc.env[s.name] = FuncRef(s, sc.src)
        elif isinstance(s, ast.ClassDef):
            sc.env[s.name] = ClassRef(s, sc.src)
        elif isinstance(s, ast.Import | ast.ImportFrom):
            self.bind_import(sc, s)
        elif isinstance(s, ast.Match):
            self.ev(sc, s.subject)
            for case in s.cases:
                self.exec_body(sc, case.body)
        else:
            for child in ast.iter_child_nodes(s):
                if isinstance(child, ast.expr):
                    self.ev(sc, child)

    def truth(self, sc: Scope, test: ast.expr) -> bool | None:
        """The value of an `if` test when the names in it are known (`scaler is None`,
        `if fit:`), so a helper called with a fitted scaler does not also refit it."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self.truth(sc, test.operand)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            parts = [self.truth(sc, v) for v in test.values]
            wanted = isinstance(test.op, ast.Or)
            if wanted in parts:
                return wanted
            return None if None in parts else not wanted
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Is | ast.IsNot)
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
        ):
            known = self.truth(sc, test.left)
            if known is None:
                return None
            is_none = not known and self._known(sc, test.left) == Const(None)
            return is_none if isinstance(test.ops[0], ast.Is) else not is_none
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            return self._compared(sc, test.left, test.ops[0], test.comparators[0])
        value = self._known(sc, test)
        if isinstance(value, Const):
            return bool(value.value)
        if isinstance(value, Est | Obj | FuncRef | ClassRef):
            return True
        return None

    def _compared(self, sc: Scope, left: ast.expr, op: ast.cmpop, right: ast.expr) -> bool | None:
        """`scaling == "Standard"` where the caller passed `scaling="None"`: a branch for an
        option no caller chose is not run (Auto_ViML's `add_poly_vars_select`)."""
        a, b = self._known(sc, left), self._known(sc, right)
        if not (isinstance(a, Const) and isinstance(b, Const)):
            return None
        if isinstance(op, ast.Eq | ast.NotEq) and isinstance(a.value, str | int | bool | None):
            equal = type(a.value) is type(b.value) and a.value == b.value
            return equal if isinstance(op, ast.Eq) else not equal
        x, y = a.value, b.value
        order = _ORDER.get(type(op)) if _a_parameter(sc, left, right) else None
        if order is None or not (_number(x) and _number(y)):
            return None
        return order(float(x), float(y))  # type: ignore[arg-type]  # `if threshold > 0:`, given 0
        return None

    def _known(self, sc: Scope, node: ast.expr) -> object | None:
        if isinstance(node, ast.Name):
            return self.lookup(sc, node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = self.lookup(sc, node.value.id)
            return base.attrs.get(node.attr) if isinstance(base, Obj) else None
        if isinstance(node, ast.Constant):
            return Const(node.value)
        return None

    def exec_for(self, sc: Scope, s: ast.For | ast.AsyncFor) -> None:
        items = calls.iter_items(self.ev(sc, s.iter))
        inner = replace(sc, loops=(*sc.loops, (s, sc.src.rel)))
        inner.env, inner.returns = sc.env, sc.returns
        for item in items[:MAX_UNROLL]:
            self.assign(sc, s.target, item, s)
            self.exec_body(inner, s.body)
        self.exec_body(sc, s.orelse)

    def assign(self, sc: Scope, target: ast.expr, value: object, stmt: ast.AST) -> None:
        """Bind `value` to an assignment target (names, tuples, attributes, columns)."""
        if isinstance(target, ast.Name):
            sc.env[target.id] = self.named(sc, target.id, value, stmt)
        elif isinstance(target, ast.Tuple | ast.List):
            elts = target.elts
            items = value.items if isinstance(value, Tup) else None
            if items is not None and len(items) == len(elts):
                for elt, item in zip(elts, items, strict=True):
                    self.assign(sc, elt, item, stmt)
                return
            for elt in elts:
                part: object = value
                if isinstance(value, Data):
                    part = Data.new(taint=value.taint, temporal=value.temporal, array=value.array)
                elif not isinstance(value, Est):
                    part = Data.new()
                self.assign(sc, elt.value if isinstance(elt, ast.Starred) else elt, part, stmt)
        elif isinstance(target, ast.Starred):
            self.assign(sc, target.value, value, stmt)
        elif isinstance(target, ast.Attribute):
            base = self.ev(sc, target.value)
            if isinstance(base, Obj):
                base.attrs[target.attr] = value
            elif isinstance(base, Data) and isinstance(target.value, ast.Name):
                self.store_into(sc, target.value.id, base, value, attr=target.attr)
        elif isinstance(target, ast.Subscript):
            column = self.ev(sc, target.slice)
            root = target.value
            while isinstance(root, ast.Attribute | ast.Subscript):
                root = root.value
            if isinstance(root, ast.Name):
                base = self.lookup(sc, root.id)
                if isinstance(base, Data):
                    self.store_into(sc, root.id, base, value, dated=isinstance(column, Const))
                elif isinstance(base, DictV) and isinstance(target.value, ast.Name):
                    key = self.ev(sc, target.slice)
                    sc.env[root.id] = DictV((*base.pairs, (key, value)))

    def store_into(
        self,
        sc: Scope,
        name: str,
        base: Data,
        value: object,
        *,
        dated: bool = True,
        attr: str | None = None,
    ) -> None:
        """`df["c"] = v`: the rows of `df` stay, what flowed into `v` joins it.

        A parsed date stored under a column that only a parameter names (`dtf[ts_column] =
        pd.to_datetime(...)` in Auto_ViML) is a date feature of whatever frame a user passes,
        not `dated` data: it says nothing of the rows being a time series.

        A taint stored under an attribute (`data.x = standardize(...)`) is held by that
        attribute: reading another one (`data.x_raw`) does not carry it."""
        joined = combine(value)
        if joined is None:
            return
        temporal = base.temporal or (joined.temporal and dated)
        held_taints = {t for _, t in base.held}
        if attr is None:
            held = frozenset(p for p in base.held if p[1] not in joined.taint)
        else:
            new = joined.taint - (base.taint - held_taints)
            held = base.held | frozenset((attr, t) for t in new)
        updated = replace(base, taint=base.taint | joined.taint, temporal=temporal, held=held)
        if name in sc.env or sc.globals is None or name not in sc.globals:
            sc.env[name] = updated
        else:
            sc.globals[name] = updated

    def named(self, sc: Scope, name: str, value: object, stmt: ast.AST) -> object:
        """Apply a name's train/test hint; a hinted row subset is a manual split."""
        if isinstance(value, Data) and _TARGET_NAME.match(name):
            # `y = np.expm1((y + abs(y.min())) / 200)` builds a target; it is no feature leak
            stats = frozenset(t for t in value.taint if t.kind == "stat")
            if stats and _computed(stmt):  # `y = X @ w` on standardised X: synthetic data
                self.record.generative.update(t.origin for t in stats)
            value = replace(value, taint=value.taint - stats)
        hint = role_hint(name)
        if not isinstance(value, Data) or hint is None or value.reduced:
            return value
        if value.path and value.path[-1][1] in ("subset", "sample", "complement"):
            sid, side = value.path[-1]
            value = replace(value, path=(*value.path[:-1], (sid, hint)))
            if not self.quiet:
                at = self.origin(sc, stmt)
                label = "DataFrame.sample" if side == "sample" else "row subset"
                calls.note_split(self, value, at, random=side == "sample", func=label)
        if not value.path and value.hint is None and _renames(sc, name, value):
            return value
        return replace(value, hint=hint)

    # -- expressions --------------------------------------------------------------------------
    def ev(self, sc: Scope, node: ast.expr | None) -> object:
        """The abstract value of an expression."""
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return Const(node.value)
        if isinstance(node, ast.Name):
            value = self.lookup(sc, node.id)
            if value is None:
                value = Data.new(hint=role_hint(node.id))
                sc.env[node.id] = value
            return value
        if isinstance(node, ast.Call):
            return calls.eval_call(self, sc, node)
        if isinstance(node, ast.Attribute):
            return calls.eval_attribute(self, sc, node)
        if isinstance(node, ast.Subscript):
            return calls.eval_subscript(self, sc, node)
        if isinstance(node, ast.BinOp):
            left, right = self.ev(sc, node.left), self.ev(sc, node.right)
            bitwise = isinstance(node.op, ast.BitAnd | ast.BitOr | ast.BitXor)
            at = self.origin(sc, node)
            plain = (
                bitwise
                or scales_error(node, left, right)
                or summed_on_the_spot(sc.func or sc.src.tree, node, left, right)
            )
            out = (
                combine(left, right)
                if plain
                else arith(
                    self,
                    left,
                    right,
                    at=at,
                    affine=_affine(node.op),
                    compared=id(node) in self.compared,
                )
            )
            if out is not None and bitwise:
                out = replace(out, mask=True)
            elif isinstance(out, Data):
                out = as_residual(node, left, right, out)
            return out if out is not None else Const(None)
        if isinstance(node, ast.UnaryOp):
            return self.ev(sc, node.operand)
        if isinstance(node, ast.Compare):
            parts = [self.ev(sc, node.left), *(self.ev(sc, c) for c in node.comparators)]
            out = combine(*parts)
            return replace(out, mask=True) if out else Const(None)
        if isinstance(node, ast.BoolOp):
            return combine(*(self.ev(sc, v) for v in node.values)) or Const(None)
        if isinstance(node, ast.IfExp):
            self.ev(sc, node.test)
            body, orelse = self.ev(sc, node.body), self.ev(sc, node.orelse)
            if isinstance(body, Est) or not isinstance(orelse, Data):
                return body
            return combine(body, orelse) or body
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return Tup(tuple(self.ev(sc, e) for e in node.elts))
        if isinstance(node, ast.Dict):
            return DictV(
                tuple(
                    (self.ev(sc, k), self.ev(sc, v))
                    for k, v in zip(node.keys, node.values, strict=True)
                )
            )
        if isinstance(node, ast.Starred | ast.Await):
            return self.ev(sc, node.value)
        if isinstance(node, ast.NamedExpr):
            value = self.ev(sc, node.value)
            self.assign(sc, node.target, value, node)
            return value
        if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            return self.ev_comprehension(sc, node)
        if isinstance(node, ast.Lambda):
            return Data.new()
        parts = [self.ev(sc, c) for c in ast.iter_child_nodes(node) if isinstance(c, ast.expr)]
        return combine(*parts) or Data.new()

    def ev_comprehension(self, sc: Scope, node: ast.expr) -> object:
        inner = Scope(sc.src, dict(sc.env), sc.globals, sc.frames, sc.loops, sc.func)
        for gen in node.generators:  # type: ignore[attr-defined]
            items = calls.iter_items(self.ev(inner, gen.iter))
            self.assign(inner, gen.target, items[0] if items else Data.new(), node)
            for cond in gen.ifs:
                self.ev(inner, cond)
        if isinstance(node, ast.DictComp):
            return combine(self.ev(inner, node.key), self.ev(inner, node.value)) or Data.new()
        elt = self.ev(inner, node.elt)  # type: ignore[attr-defined]
        return Tup((elt,)) if isinstance(elt, Est) else (combine(elt) or Data.new())


def _affine(op: ast.operator) -> bool:
    """`x - m`, `x / s`: a shift or a scale of each column."""
    return isinstance(op, ast.Add | ast.Sub | ast.Mult | ast.Div)


def _compared(test: ast.expr) -> Iterator[ast.BinOp]:
    """The arithmetic that is itself an operand of a test's comparison chain (through `and`/`or`,
    `not` and nested arithmetic), not what a call is handed or a walrus binds.

    Example:
        >>> test = ast.parse("a * b.mean() / 9 > 1 or f(c - c.mean()) > 0", mode="eval").body
        >>> [ast.unparse(n) for n in _compared(test)]
        ['a * b.mean() / 9', 'a * b.mean()']
    """
    if isinstance(test, ast.Compare):
        for side in (test.left, *test.comparators):
            yield from _compared(side)
    elif isinstance(test, ast.BoolOp):
        for value in test.values:
            yield from _compared(value)
    elif isinstance(test, ast.UnaryOp):
        yield from _compared(test.operand)
    elif isinstance(test, ast.BinOp):
        yield test
        yield from _compared(test.left)
        yield from _compared(test.right)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _a_parameter(sc: Scope, left: ast.expr, right: ast.expr) -> bool:
    """One side of a comparison names a parameter of the function being run: the value a call
    passed (a loop's unrolled items are not compared by order: only the first few are run)."""
    func = sc.func
    if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    a = func.args
    params = {p.arg for p in (*a.posonlyargs, *a.args, *a.kwonlyargs)}
    return any(isinstance(side, ast.Name) and side.id in params for side in (left, right))
