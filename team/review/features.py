"""Feature definitions read from code, normalised so training and serving versions compare.

A feature definition is a named column computed from an expression: `df["c"] = expr`,
`df.assign(c=expr)` or a `{"c": expr}` literal that builds model input. The expression is
normalised: reading a field (`df["x"]`, `row.x`, `payload.get("x")`) becomes `FIELD("x")`
whatever the variable is called, local variables assigned once are substituted, module
constants are inlined and imported names are fully qualified. Two definitions are the same
computation when their normalised trees are equal.
"""

from __future__ import annotations

import ast
import builtins
import copy
import re
from dataclasses import dataclass
from typing import cast

from team.review.catalog import PERSIST, PREDICT_METHODS, leaf_name, words
from team.review.sources import RepoIndex, SourceFile

__all__ = ["FeatureDef", "excluded_columns", "feature_defs"]

_CONSUMERS = words(
    "DataFrame Series from_dict from_records json_normalize array asarray DMatrix Dataset "
    "predict predict_proba decision_function"
)
_CASTS = frozenset({"float", "int", "str", "bool"})
_BUILTINS = frozenset(dir(builtins))


@dataclass(frozen=True)
class FeatureDef:
    """A named column and the normalised expression that computes it."""

    column: str
    norm: str
    fields: frozenset[str]
    text: str
    path: str
    line: int
    passthrough: bool
    bookkeeping: bool = False  # a size or a dtype of the data, not a value the model reads


def _field_node(name: str) -> ast.expr:
    return ast.Call(func=ast.Name("FIELD"), args=[ast.Constant(name)], keywords=[])


class _Normalizer(ast.NodeTransformer):
    def __init__(
        self,
        env: dict[str, ast.expr],
        consts: dict[str, ast.expr],
        imports: dict[str, str],
        depth: int = 0,
    ) -> None:
        self.env, self.consts, self.imports, self.depth = env, consts, imports, depth
        self.fields: set[str] = set()

    def _field(self, name: str) -> ast.expr:
        self.fields.add(name)
        return _field_node(name)

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        key = node.slice
        if (
            isinstance(key, ast.Tuple)
            and len(key.elts) == 2
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "loc"
        ):
            key = key.elts[1]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return self._field(key.value)
        return self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        if isinstance(node.value, ast.Name):
            name = node.value.id
            if name in self.imports:
                return ast.Name(f"{self.imports[name]}.{node.attr}")
            if name not in ("self", "cls"):
                return self._field(node.attr)
        return self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        f = node.func
        first = node.args[0] if node.args else None
        if (
            isinstance(f, ast.Attribute)
            and f.attr == "get"
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            return self._field(first.value)
        if (
            isinstance(f, ast.Name)
            and f.id == "getattr"
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
        ):
            return self._field(node.args[1].value)
        if (
            isinstance(f, ast.Attribute)
            and isinstance(f.value, ast.Name)
            and (f.value.id not in self.imports)
        ):
            f = ast.Attribute(value=self.visit(f.value), attr=f.attr)
        else:
            f = self.visit(f)
        return ast.Call(
            func=f,
            args=[self.visit(a) for a in node.args],
            keywords=[ast.keyword(k.arg, self.visit(k.value)) for k in node.keywords],
        )

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in self.env and self.depth < 3:
            inner = _Normalizer(self.env, self.consts, self.imports, self.depth + 1)
            out: ast.AST = inner.visit(copy.deepcopy(self.env[node.id]))
            self.fields |= inner.fields
            return out
        if node.id in self.consts:
            return copy.deepcopy(self.consts[node.id])
        if node.id in self.imports:
            return ast.Name(self.imports[node.id])
        return ast.Name(node.id if node.id in _BUILTINS else "_")


def _constants(src: SourceFile) -> dict[str, ast.expr]:
    counts: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    for node in src.tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if isinstance(t, ast.Name):
                    counts[t.id] = counts.get(t.id, 0) + 1
                    values[t.id] = node.value
    return {k: v for k, v in values.items() if counts[k] == 1 and isinstance(v, ast.Constant)}


def _locals(nodes: list[ast.AST]) -> dict[str, ast.expr]:
    counts: dict[str, int] = {}
    values: dict[str, ast.expr] = {}
    for node in nodes:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name = node.targets[0].id
            counts[name] = counts.get(name, 0) + 1
            values[name] = node.value
        elif isinstance(node, ast.AugAssign | ast.AnnAssign | ast.For) and isinstance(
            getattr(node, "target", None), ast.Name
        ):
            name = cast(ast.Name, node.target).id
            counts[name] = counts.get(name, 0) + 2
        elif isinstance(node, ast.arg):
            counts[node.arg] = counts.get(node.arg, 0) + 2
    return {k: v for k, v in values.items() if counts[k] == 1}


def _uses_model(value: ast.expr) -> bool:
    for n in ast.walk(value):
        if isinstance(n, ast.Attribute) and n.attr in PREDICT_METHODS:
            return True
        if isinstance(n, ast.Name) and "model" in n.id.lower():
            return True
    return False


def _call_name(node: ast.AST) -> str:
    if not isinstance(node, ast.Call):
        return ""
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _model_input_dicts(root: ast.AST) -> set[int]:
    """Dict literals that become model input: given to a frame/array constructor or a predict
    call, directly or through a variable; never responses, log lines or settings."""
    parents: dict[int, ast.AST] = {}
    for above in ast.walk(root):
        for child in ast.iter_child_nodes(above):
            parents[id(child)] = above
    consumed: set[str] = set()
    for node in ast.walk(root):
        if isinstance(node, ast.Call) and _call_name(node) in _CONSUMERS:
            for arg in node.args:
                consumed |= {n.id for n in ast.walk(arg) if isinstance(n, ast.Name)}
    keep: set[int] = set()
    for node in ast.walk(root):
        if not isinstance(node, ast.Dict):
            continue
        parent: ast.AST | None = parents.get(id(node))
        while isinstance(parent, ast.List | ast.Tuple):
            parent = parents.get(id(parent))
        if (isinstance(parent, ast.Call) and _call_name(parent) in _CONSUMERS) or (
            isinstance(parent, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id in consumed for t in parent.targets)
        ):
            keep.add(id(node))
    return keep


def feature_defs(
    src: SourceFile, root: ast.AST, nodes: list[ast.AST], repo: RepoIndex
) -> list[FeatureDef]:
    """Named columns computed in one function (`nodes` are its AST nodes)."""
    nodes = sorted(
        (n for n in nodes if hasattr(n, "lineno")),
        key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)),
    )
    env, consts, imports = _locals(nodes), _constants(src), repo.imports(src)
    outputs = _output_frames(root)
    dicts = _model_input_dicts(root) - outputs.dicts
    found: list[tuple[str, ast.expr, int]] = []
    for node in nodes:
        if (
            isinstance(node, ast.Assign | ast.AugAssign)
            and len(getattr(node, "targets", [None])) == 1
        ):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            column = _column(target)
            if column is not None and not outputs.holds(target, column):
                value = node.value
                if isinstance(node, ast.AugAssign):
                    value = ast.BinOp(left=target, op=node.op, right=node.value)
                found.append((column, value, node.lineno))
        elif isinstance(node, ast.Call) and _call_name(node) == "assign":
            for kw in node.keywords:
                if kw.arg and not _OUTPUT_COLUMN.match(kw.arg):
                    value = kw.value.body if isinstance(kw.value, ast.Lambda) else kw.value
                    found.append((kw.arg, value, kw.value.lineno))
        elif isinstance(node, ast.Dict) and id(node) in dicts and not _example_record(node):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found.append((key.value, value, value.lineno))
    out = []
    for column, value, line in found:
        if _uses_model(value):
            continue
        norm = _Normalizer(env, consts, imports)
        dump = ast.dump(norm.visit(copy.deepcopy(value)), annotate_fields=False)
        fields = frozenset(norm.fields)
        raw = _field_node(column)
        passthrough = dump in {ast.dump(raw, annotate_fields=False)} | {
            ast.dump(ast.Call(ast.Name(c), [raw], []), annotate_fields=False) for c in _CASTS
        }
        text = ast.unparse(value)
        text = text if len(text) <= 60 else text[:57] + "..."
        out.append(
            FeatureDef(column, dump, fields, text, src.rel, line, passthrough, _size_or_type(value))
        )
    return out


# Columns named for a model's output or the label it is scored against: `y_pred`, `proba`,
# `y_true`. The model never reads them, so they are no features.
_OUTPUT_COLUMN = re.compile(
    r"^(y_?(pred|true|hat|score|prob|proba)\w*|p_?pred\w*|preds?|predictions?|predicted\w*|"
    r"proba|probas|probabilit(y|ies)|pred_\w+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _OutputFrames:
    """Tables the code writes of its own predictions: dict literals that hold a column named
    for a prediction (DrugAutoML's `pd.DataFrame({"SMILES": smi_std, "proba": proba, "y_pred":
    y_pred})`, written to CSV after predicting), and the names bound to them."""

    dicts: frozenset[int]
    names: frozenset[str]

    def holds(self, target: ast.expr, column: str) -> bool:
        """`out["y_true"] = ...`: a column named for an output, or one added to an output table."""
        base = target.value if isinstance(target, ast.Subscript) else None
        return bool(_OUTPUT_COLUMN.match(column)) or (
            isinstance(base, ast.Name) and base.id in self.names
        )


def _output_frames(root: ast.AST) -> _OutputFrames:
    dicts = {
        id(node)
        for node in ast.walk(root)
        if isinstance(node, ast.Dict)
        and any(
            isinstance(k, ast.Constant) and _OUTPUT_COLUMN.match(str(k.value)) for k in node.keys
        )
    }
    names = {
        t.id
        for node in ast.walk(root)
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and any(id(arg) in dicts for arg in node.value.args)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    return _OutputFrames(frozenset(dicts), frozenset(names))


_SIZES_AND_TYPES = words("shape size dtype dtypes")


def _size_or_type(value: ast.expr) -> bool:
    """`len(df)`, `df.shape[0]`, `spec[key].dtype`: the value is how big some data is or what
    type it holds (deep-autoviml's `model_options["DS_LEN"]`, `feats_max_min[key]["dtype"]`,
    bookkeeping that sizes batches and sorts columns), not a value of a feature."""
    while isinstance(value, ast.Subscript):
        value = value.value
    if isinstance(value, ast.Call):
        return isinstance(value.func, ast.Name) and value.func.id == "len"
    return isinstance(value, ast.Attribute) and value.attr in _SIZES_AND_TYPES


def _example_record(node: ast.Dict) -> bool:
    """`{"Pclass": 1, "Age": 28}`: every value a literal, so an example request written out
    by hand (Shapash's FastAPI tutorial), not features the serving code computes."""
    values = [v.operand if isinstance(v, ast.UnaryOp) else v for v in node.values]
    return len(values) > 1 and all(isinstance(v, ast.Constant) for v in values)


def _column(target: ast.expr) -> str | None:
    if not isinstance(target, ast.Subscript):
        return None
    key = target.slice
    if (
        isinstance(key, ast.Tuple)
        and len(key.elts) == 2
        and isinstance(target.value, ast.Attribute)
    ):
        first = key.elts[0]
        if not (isinstance(first, ast.Slice) and first.lower is None and first.upper is None):
            return None
        key = key.elts[1]
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return None


def excluded_columns(nodes: list[ast.AST]) -> frozenset[str]:
    """Columns a feature selection in one function (`nodes`) leaves out by name: the strings of the list that
    `[c for c in df.columns if c not in exclude_cols]` tests against (a literal, or a local
    list of literals joined with `+`). Monsoon Crop Predictor's training splits and its
    predictor both select `col not in ["Year", "State Name", "Dist Name", ...]`: the location
    label and merge key is no model input on either side. Only a selection whose list feeds
    the model counts (`_feeding`): a list only printed or logged leaves nothing out of it."""
    lists: dict[str, list[ast.expr]] = {}
    for node in nodes:
        if isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Name):
                    lists.setdefault(t.id, []).append(node.value)
    feeding = _feeding(nodes)
    out: set[str] = set()
    for node in nodes:
        if not isinstance(node, ast.comprehension) or id(node) not in feeding:
            continue
        names = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        for test in node.ifs:
            for cmp in ast.walk(test):
                if (
                    isinstance(cmp, ast.Compare)
                    and isinstance(cmp.left, ast.Name)
                    and cmp.left.id in names
                    and len(cmp.ops) == 1
                    and isinstance(cmp.ops[0], ast.NotIn)
                ):
                    out |= _listed(cmp.comparators[0], lists)
    return frozenset(out)


def _listed(node: ast.expr, lists: dict[str, list[ast.expr]], depth: int = 0) -> set[str]:
    """The string literals of a list, tuple or set literal, through `+` and local names."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return {
            e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        }
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _listed(node.left, lists, depth) | _listed(node.right, lists, depth)
    if isinstance(node, ast.Name) and depth < 3:
        return {c for v in lists.get(node.id, []) for c in _listed(v, lists, depth + 1)}
    return set()


_MODEL_CALLS = PREDICT_METHODS | PERSIST | {"train_test_split"}


def _feeding(nodes: list[ast.AST]) -> set[int]:
    """Ids of the comprehensions in one function whose value reaches the model: written in, or
    assigned (through local names) to what is returned, handed to a fit/predict/split call or a
    dump, or stored on an object (`self.feature_cols = cols`, kept with the model).
    `X = df[cols]; return X` and `model.predict(df[cols])` feed it; `print(shown)` does not."""
    roots: list[ast.AST] = []
    assigns: list[tuple[set[str], ast.expr]] = []
    for node in nodes:
        if isinstance(node, ast.Return | ast.Yield) and node.value is not None:
            roots.append(node.value)
        elif isinstance(node, ast.Call):
            name = leaf_name(node.func)
            if name in _MODEL_CALLS or name.startswith("fit"):
                roots.extend([*node.args, *(k.value for k in node.keywords)])
        elif isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(_stored_on(t), ast.Attribute) for t in targets):
                roots.append(node.value)
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            assigns.append((names, node.value))
    wanted = {n.id for r in roots for n in ast.walk(r) if isinstance(n, ast.Name)}
    grew = True
    while grew:  # the local names the roots are computed from, back through assignments
        grew = False
        for names, value in assigns:
            if names & wanted:
                more = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)} - wanted
                grew = grew or bool(more)
                wanted |= more
    roots.extend(value for names, value in assigns if names & wanted)
    return {id(c) for r in roots for c in ast.walk(r) if isinstance(c, ast.comprehension)}


def _stored_on(target: ast.expr) -> ast.expr:
    """`self.cols` of `self.cols[crop] = ...`: the target under its subscripts."""
    while isinstance(target, ast.Subscript):
        target = target.value
    return target
