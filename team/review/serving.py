"""Cross-module rules: `training-serving-skew` and `serving-without-monitoring`.

A module is *training* when it fits something (`.fit`, `.fit_transform`, `xgb.train`, a
`.backward()` loop) and *serving* when it defines web routes (FastAPI/Flask decorators whose
first argument is a path) or loads a model artifact and defines a `predict`-style function.
Functions reachable from each side are found through a static call graph over the repository.
"""

from __future__ import annotations

import ast
import re
import weakref

from team.review.calltools import leaf_name
from team.review.catalog import PREDICT_METHODS, words
from team.review.core import Finding
from team.review.features import FeatureDef, excluded_columns, feature_defs
from team.review.findingtext import make_finding
from team.review.funcs import Func
from team.review.monitoring import (
    decorated_for_monitoring,
    logger_names,
    monitoring_findings,
    monitors,
)
from team.review.randomness import runs_nothing_on_import
from team.review.sources import RepoIndex, SourceFile

__all__ = [
    "CallGraph",
    "Func",
    "is_serving_module",
    "is_test_file",
    "is_unit_test_module",
    "serving_findings",
]

_ROUTE_ATTRS = words("get post put patch delete route api_route websocket")
_LOADS = words("load loads load_model load_learner InferenceSession load_pretrained")
_MODEL_LOADS = words("load_model load_learner InferenceSession load_pretrained")
_LOAD_ROOTS = words(
    "joblib pickle cloudpickle dill torch keras tensorflow mlflow onnxruntime skops xgboost "
    "lightgbm catboost transformers"
)
_TRAIN_METHODS = words("fit train train_model fit_model")
_PREDICT_STYLE = re.compile(
    r"^(predict|infer|inference|score_|handle|handler|serve|invoke|"
    r"lambda_handler)|predict"
)


def _walk(node: ast.AST, *, top: bool) -> list[ast.AST]:
    """Nodes of a function body; for module top-level code, without the defs in it."""
    out: list[ast.AST] = []
    stack = list(ast.iter_child_nodes(node))
    while stack:
        n = stack.pop()
        if top and isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        out.append(n)
        stack.extend(ast.iter_child_nodes(n))
    return out


def _route(fn: ast.AST) -> str | None:
    for dec in getattr(fn, "decorator_list", []):
        if (
            isinstance(dec, ast.Call)
            and isinstance(dec.func, ast.Attribute)
            and (dec.func.attr in _ROUTE_ATTRS)
        ):
            first = (
                dec.args[0]
                if dec.args
                else next((k.value for k in dec.keywords if k.arg in ("path", "rule")), None)
            )
            if isinstance(first, ast.Constant) and str(first.value).startswith("/"):
                return str(first.value)
    return None


class CallGraph:
    """Functions of the repository (and each module's top-level code) and who calls whom."""

    def __init__(self, repo: RepoIndex) -> None:
        self.repo = repo
        self.funcs: dict[tuple[str, str], Func] = {}
        self.instances: dict[str, dict[str, tuple[str, str]]] = {}
        self.loggers: dict[str, set[str]] = {}
        for src in repo.sources:
            self._index(src)
        for func in list(self.funcs.values()):
            self._scan(func)

    def _index(self, src: SourceFile) -> None:
        self.funcs[(src.rel, "<module>")] = Func((src.rel, "<module>"), src.tree, src)
        inst: dict[str, tuple[str, str]] = {}
        for node in src.tree.body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                key = (src.rel, node.name)
                self.funcs[key] = Func(key, node, src, route=_route(node))
            elif isinstance(node, ast.ClassDef):
                for m in node.body:
                    if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef):
                        key = (src.rel, f"{node.name}.{m.name}")
                        self.funcs[key] = Func(key, m, src, route=_route(m))
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                cls = self._target(src, node.value.func)
                if cls is not None:
                    for t in node.targets:
                        if isinstance(t, ast.Name):
                            inst[t.id] = cls
        self.instances[src.rel] = inst
        self.loggers[src.rel] = logger_names(src, self.repo)

    def _target(self, src: SourceFile, func: ast.expr) -> tuple[str, str] | None:
        """A repo class (as its (rel, name)) or function key that `func` names."""
        if isinstance(func, ast.Name) and func.id in self.repo.defs(src):
            node = self.repo.defs(src)[func.id]
            return (src.rel, node.name)  # type: ignore[attr-defined]
        qual = self.repo.qualify(src, func)
        found = self.repo.resolve(qual) if qual else None
        if found is not None and found[1] is not None:
            return (found[0].rel, found[1].name)  # type: ignore[attr-defined]
        return None

    def _callee(self, func: Func, call_func: ast.expr) -> tuple[str, str] | None:
        rel = func.src.rel
        if isinstance(call_func, ast.Attribute) and isinstance(call_func.value, ast.Name):
            base = call_func.value.id
            owner = func.key[1].split(".")[0] if "." in func.key[1] else None
            if base == "self" and owner:
                return (rel, f"{owner}.{call_func.attr}")
            if base in self.instances[rel]:
                crel, cls = self.instances[rel][base]
                return (crel, f"{cls}.{call_func.attr}")
        target = self._target(func.src, call_func)
        if target is None:
            return None
        if (target[0], target[1]) in self.funcs:
            return target
        return (target[0], f"{target[1]}.__init__")

    def _scan(self, func: Func) -> None:
        top = func.key[1] == "<module>"
        nodes = _walk(func.node, top=top)
        for n in nodes:
            if not isinstance(n, ast.Call):
                continue
            callee = self._callee(func, n.func)
            if callee is not None and callee in self.funcs:
                func.calls.append((callee, n))
            for arg in n.args:
                ref = self._target(func.src, arg) if isinstance(arg, ast.Name) else None
                if ref is not None and ref in self.funcs:
                    func.calls.append((ref, n))
            if isinstance(n.func, ast.Attribute) and n.func.attr in PREDICT_METHODS:
                func.predicts.append(n)
            if monitors(func.src, self.repo, n, self.loggers[func.src.rel]):
                func.monitors = True
        if decorated_for_monitoring(func.node):
            func.monitors = True

    def features(self, key: tuple[str, str]) -> list[FeatureDef]:
        """Feature definitions of one function, computed when first needed."""
        func = self.funcs[key]
        if func.features is None:
            nodes = _walk(func.node, top=key[1] == "<module>")
            func.features = feature_defs(func.src, func.node, nodes, self.repo)
        return func.features

    def excluded(self, keys: set[tuple[str, str]]) -> frozenset[str]:
        """Columns that a feature selection in any of these functions leaves out by name."""
        out: set[str] = set()
        for key in keys:
            func = self.funcs[key]
            if func.excluded is None:
                func.excluded = excluded_columns(_walk(func.node, top=key[1] == "<module>"))
            out |= func.excluded
        return frozenset(out)

    def reach(self, starts: list[tuple[str, str]]) -> set[tuple[str, str]]:
        seen: set[tuple[str, str]] = set()
        stack = list(starts)
        while stack:
            key = stack.pop()
            if key in seen or key not in self.funcs:
                continue
            seen.add(key)
            stack.extend(c for c, _ in self.funcs[key].calls)
        return seen


def is_test_file(rel: str) -> bool:
    """Test code is not an experiment or a service: `tests/`, `test_*.py`, `conftest.py`."""
    parts = rel.split("/")
    if parts[-1] == "conftest.py" or parts[-1].endswith("_test.py"):
        return True
    return any(p in ("tests", "test") for p in parts[:-1]) or parts[-1].startswith("test_")


def is_unit_test_module(tree: ast.Module) -> bool:
    """A module of `unittest.TestCase` classes, whatever its name: ADBench's
    `other_utils/gmm/test.py` holds only `CpuCheck(unittest.TestCase)` and `GpuCheck`, which
    draw a random number of components and random data on purpose and assert shapes, and a
    `__main__` guard that runs `unittest.main()`. Test code like `tests/`, no experiment."""
    cases = [
        stmt
        for stmt in tree.body
        if isinstance(stmt, ast.ClassDef) and any(leaf_name(b) == "TestCase" for b in stmt.bases)
    ]
    return bool(cases) and runs_nothing_on_import(tree)


def _loads_artifact(src: SourceFile, repo: RepoIndex) -> bool:
    for n in ast.walk(src.tree):
        if isinstance(n, ast.Call):
            qual = repo.qualify(src, n.func) or ""
            last = qual.rsplit(".", 1)[-1]
            if (last in _LOADS and qual.split(".")[0] in _LOAD_ROOTS) or last in _MODEL_LOADS:
                return True
    return False


def _trains(src: SourceFile, repo: RepoIndex) -> bool:
    for n in ast.walk(src.tree):
        if isinstance(n, ast.Call):
            attr = n.func.attr if isinstance(n.func, ast.Attribute) else ""
            qual = repo.qualify(src, n.func) or ""
            if attr in ("fit", "fit_transform", "partial_fit", "fit_resample", "backward") or (
                qual in ("xgboost.train", "lightgbm.train")
            ):
                return True
    return False


def is_serving_module(src: SourceFile, repo: RepoIndex) -> bool:
    """Defines web routes, or (without training anything) loads a model artifact and defines a
    predict-style function."""
    if src not in _SERVING:
        _SERVING[src] = _is_serving(src, repo)
    return _SERVING[src]


_SERVING: weakref.WeakKeyDictionary[SourceFile, bool] = weakref.WeakKeyDictionary()
_SERVING_TEXT = re.compile(r"predict|infer|handle|serve|invoke|score|@")


def _is_serving(src: SourceFile, repo: RepoIndex) -> bool:
    if not _SERVING_TEXT.search(src.text):
        return False
    defs = [n for n in ast.walk(src.tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    if any(_route(d) for d in defs):
        return True
    # Without a web route, a notebook is an experiment (its predict is a model's, not a service's).
    return (
        not src.rel.endswith(".ipynb")
        and not _explains(src, repo)
        and _loads_artifact(src, repo)
        and any(_PREDICT_STYLE.search(d.name) for d in defs)
        and not _trains(src, repo)
    )


_EXPLAINERS = words("shap lime captum alibi eli5 interpret dalex")


def _explains(src: SourceFile, repo: RepoIndex) -> bool:
    """A module that imports an explanation library (shap, LIME, Captum) and defines no web route
    is an offline explanation step: DrugAutoML's explainability.py loads the saved model and
    turns its output into probabilities (`_predict_proba`) for the SHAP plots of the test
    molecules. It serves no prediction to a caller, so it has no traffic to monitor."""
    return any(q.split(".")[0] in _EXPLAINERS for q in repo.imports(src).values())


def serving_findings(repo: RepoIndex) -> list[Finding]:
    """Skew between training and serving code, and serving handlers that record nothing."""
    serving = [
        src for src in repo.sources if not is_test_file(src.rel) and is_serving_module(src, repo)
    ]
    if not serving:
        return []
    graph = CallGraph(repo)
    train_keys: list[tuple[str, str]] = []
    serve_keys: list[tuple[str, str]] = []
    handlers: list[Func] = []
    entries: list[Func] = []
    for src in repo.sources:
        if is_test_file(src.rel):
            continue
        funcs = [f for f in graph.funcs.values() if f.src is src]
        routes = [f for f in funcs if f.route is not None]
        if src in serving:
            serve_keys.extend(f.key for f in funcs)
            if routes:
                handlers.extend(routes)
            else:
                called = {c for f in funcs for c, _ in f.calls}
                entries.extend(
                    f
                    for f in funcs
                    if f.key not in called
                    and f.key[1] != "<module>"
                    and _PREDICT_STYLE.search(f.key[1].split(".")[-1])
                    and not _model_class_method(graph, f.key)
                )
        elif _trains(src, repo):
            train_keys.extend(f.key for f in funcs)
    behind_routes = graph.reach([h.key for h in handlers])
    handlers.extend(f for f in entries if f.key not in behind_routes)
    out = monitoring_findings(graph, handlers)
    train, serve = graph.reach(train_keys), graph.reach(serve_keys)
    # a column both sides select out of the model's inputs is no feature the model sees
    dropped = graph.excluded(train) & graph.excluded(serve)
    out.extend(_skew(graph, train, serve - train, dropped))
    return out


def _model_class_method(graph: CallGraph, key: tuple[str, str]) -> bool:
    """A method of a class that also trains (Simple Transformers' `MultiLabelClassificationModel`
    has `train_model` beside `predict`): the predict of a modelling library's model, which hands
    its predictions to the caller's program, not a service that answers requests."""
    cls, _, _ = key[1].rpartition(".")
    return bool(cls) and any((key[0], f"{cls}.{name}") in graph.funcs for name in _TRAIN_METHODS)


def _skew(
    graph: CallGraph,
    train: set[tuple[str, str]],
    serve_only: set[tuple[str, str]],
    dropped: frozenset[str],
) -> list[Finding]:
    train_defs: dict[str, list[FeatureDef]] = {}
    for key in sorted(train):
        for d in graph.features(key):
            train_defs.setdefault(d.column, []).append(d)
    out = []
    for key in sorted(serve_only):
        func = graph.funcs[key]
        for s in graph.features(key):
            candidates = [
                t
                for t in train_defs.get(s.column, [])
                if not (s.passthrough and s.column in t.fields)
            ]
            if not candidates or any(t.norm == s.norm for t in candidates) or s.column in dropped:
                continue
            if s.bookkeeping or any(t.bookkeeping for t in train_defs[s.column]):
                continue  # a row count or a dtype record shares the name, not a feature
            t = max(candidates, key=lambda d: _shared_folders(d.path, s.path))
            out.append(
                make_finding(
                    func.src,
                    "training-serving-skew",
                    s.line,
                    f"feature '{s.column}' is computed for serving as `{s.text}` but for training as "
                    f"`{t.text}` ({t.path}:{t.line}); the model sees inputs unlike the ones it was "
                    "trained on. Compute it in one shared function used by both.",
                )
            )
    return out


def _shared_folders(a: str, b: str) -> int:
    """How many leading folders two paths share: cite the training code of the same project."""
    n = 0
    for x, y in zip(a.split("/")[:-1], b.split("/")[:-1], strict=False):
        if x != y:
            break
        n += 1
    return n
