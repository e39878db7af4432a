"""`analyze`: a Python AST summary of a file or directory, pointed at the ML pipeline.

It lists modules with their imports, top-level functions and classes, the ML libraries in use,
and where data loading, features, training, evaluation, serving and model persistence live,
each as `path:line` (`nb.ipynb:cell N:line` for notebooks). Nothing is imported or executed.
"""

from __future__ import annotations

import ast
import bisect
import json
import time
from collections import defaultdict
from dataclasses import dataclass, field

from team.tools.ripgrep import list_files
from team.tools.sandbox import Sandbox, SandboxError, cap_output

__all__ = ["CATEGORIES", "ML_LIBRARIES", "analyze"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ML_LIBRARIES = _words(
    "sklearn pandas numpy scipy torch torchvision tensorflow keras jax flax xgboost lightgbm "
    "catboost statsmodels polars transformers datasets mlflow optuna lightning pytorch_lightning "
    "onnx onnxruntime spacy nltk gensim joblib"
)
SERVING_LIBRARIES = _words(
    "fastapi flask starlette bentoml gradio streamlit uvicorn litserve django aiohttp"
)
CATEGORIES = ("data loading", "features", "training", "evaluation", "serving", "model persistence")

_DATA_CALLS = _words(
    "read_csv read_parquet read_json read_excel read_sql read_sql_query read_sql_table read_table "
    "read_feather read_pickle read_hdf read_orc read_fwf scan_csv scan_parquet load_dataset "
    "loadtxt genfromtxt fromfile DataLoader ImageFolder image_dataset_from_directory "
    "TFRecordDataset from_tensor_slices load_svmlight_file load_iris load_digits load_wine "
    "load_breast_cancer load_diabetes load_linnerud make_classification make_regression "
    "make_blobs"
)
_FEATURE_CALLS = _words(
    "fit_transform get_dummies StandardScaler MinMaxScaler RobustScaler Normalizer "
    "OneHotEncoder OrdinalEncoder LabelEncoder SimpleImputer KNNImputer ColumnTransformer "
    "make_column_transformer FunctionTransformer PolynomialFeatures TfidfVectorizer "
    "CountVectorizer SelectKBest PCA"
)
_TRAIN_CALLS = _words("fit partial_fit fit_generator train train_model backward")
_EVAL_CALLS = _words(
    "classification_report confusion_matrix roc_curve precision_recall_curve cross_validate "
    "evaluate score auc log_loss mean_squared_error mean_absolute_error root_mean_squared_error "
    "mean_absolute_percentage_error median_absolute_error max_error"
)
_PREDICT_CALLS = _words("predict predict_proba predict_log_proba decision_function")
_SERVING_CALLS = _words(
    "FastAPI Flask APIRouter Blueprint Starlette add_url_rule add_api_route Interface"
)
_PERSIST_CALLS = _words(
    "save_model load_model log_model load_state_dict save_pretrained from_pretrained"
)
_OPEN_CALLS = _words("open io.open gzip.open bz2.open lzma.open")
_PERSIST_OWNERS = _words("joblib pickle dill cloudpickle torch")
_ROUTE_METHODS = _words("get post put delete patch route api_route websocket")
_SECTION_CAP = 50


@dataclass
class _Module:
    """What one file contributes to the summary."""

    path: str
    size: str
    imports: set[str] = field(default_factory=set)
    definitions: list[tuple[tuple[int, int], str, str]] = field(default_factory=list)
    findings: list[tuple[str, tuple[int, int], str]] = field(default_factory=list)


class _Locator:
    """Maps a line of the parsed source back to `path:line` or `path:cell N:line`."""

    def __init__(self, path: str, cell_starts: list[tuple[int, int]] | None = None) -> None:
        self.path = path
        self.cells = cell_starts
        self.firsts = [first for first, _ in cell_starts or []]

    def key(self, line: int) -> tuple[int, int]:
        if self.cells is None:
            return 0, line
        index = max(0, bisect.bisect_right(self.firsts, line) - 1)
        first, cell = self.cells[index]
        return cell, line - first + 1

    def show(self, key: tuple[int, int]) -> str:
        cell, line = key
        return (
            f"{self.path}:cell {cell}:{line}" if self.cells is not None else f"{self.path}:{line}"
        )


class _Scanner(ast.NodeVisitor):
    """Collects categorised findings, remembering the enclosing class/function and routes."""

    def __init__(self, module: _Module, locator: _Locator) -> None:
        self.module = module
        self.locator = locator
        self.scope: list[str] = []
        self.in_route = 0

    def add(self, category: str, node: ast.AST, detail: str) -> None:
        where = f" in {'.'.join(self.scope)}()" if self.scope else ""
        key = self.locator.key(getattr(node, "lineno", 1))
        self.module.findings.append((category, key, f"{detail}{where}"))

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        routes = [(d, route) for d in node.decorator_list if (route := _route(d))]
        for decorator, route in routes:
            self.add("serving", decorator, f"route {route} -> {node.name}()")
        lowered = node.name.lower()
        if "feature" in lowered or lowered in {"transform", "preprocess"}:
            self.add("features", node, f"def {node.name}()")
        elif lowered.startswith("train"):
            self.add("training", node, f"def {node.name}()")
        elif lowered.startswith("evaluat"):
            self.add("evaluation", node, f"def {node.name}()")
        self.scope.append(node.name)
        self.in_route += bool(routes)
        self.generic_visit(node)
        self.in_route -= bool(routes)
        self.scope.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        if name:
            category = self.classify(name, node)
            if category:
                self.add(category, node, f"{name}()")
        self.generic_visit(node)

    def classify(self, name: str, node: ast.Call) -> str | None:
        owner, _, last = name.rpartition(".")
        if last in _PREDICT_CALLS:
            return "serving" if self.in_route else "evaluation"
        if last == "open":
            opens_file = name in _OPEN_CALLS or owner.endswith(")")  # open(), Path(...).open()
            return "data loading" if opens_file and not _opens_for_writing(node) else None
        if last in _DATA_CALLS or last.startswith("fetch_"):
            return "data loading"
        if last in _FEATURE_CALLS:
            return "features"
        if last in _TRAIN_CALLS:
            return "training"
        if last in _EVAL_CALLS or last.endswith("_score"):
            return "evaluation"
        if last in _SERVING_CALLS or name in {"uvicorn.run", "app.run"}:
            return "serving"
        if last in _PERSIST_CALLS:
            return "model persistence"
        if last in {"dump", "load", "save"} and owner.split(".")[0] in _PERSIST_OWNERS:
            return "model persistence"
        return None


def _dotted(node: ast.expr) -> str:
    """`pd.read_csv` for a call's function; `load().fit` through calls; "" when unnamed."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    elif isinstance(node, ast.Call):
        parts.append(f"{_dotted(node.func) or '(...)'}()")
    elif parts:
        parts.append("(...)")
    return ".".join(reversed(parts))


def _route(decorator: ast.expr) -> str | None:
    """`POST /predict` for `@app.post("/predict")` or `@app.route("/predict", methods=[...])`."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    method = decorator.func.attr
    args = decorator.args
    if method not in _ROUTE_METHODS or not args or not isinstance(args[0], ast.Constant):
        return None
    if not isinstance(args[0].value, str) or not args[0].value.startswith("/"):
        return None
    verbs = "GET" if method in {"route", "api_route"} else method.upper()
    for keyword in decorator.keywords:
        if keyword.arg == "methods" and isinstance(keyword.value, ast.List | ast.Tuple):
            names = [e.value for e in keyword.value.elts if isinstance(e, ast.Constant)]
            verbs = ",".join(str(name).upper() for name in names) or verbs
    return f"{verbs} {args[0].value}"


def _opens_for_writing(node: ast.Call) -> bool:
    mode = node.args[1] if len(node.args) > 1 else None
    for keyword in node.keywords:
        if keyword.arg == "mode":
            mode = keyword.value
    return isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax+")


def _notebook_source(data: bytes) -> tuple[str, list[tuple[int, int]]]:
    """Code cells joined into one source (magics blanked) and (first line, cell number) pairs."""
    notebook = json.loads(data)
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("not an nbformat 4 notebook (no 'cells' list)")
    lines: list[str] = []
    starts: list[tuple[int, int]] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(map(str, source)) if isinstance(source, list) else str(source)
        cell_lines = text.splitlines() or [""]
        if cell_lines[0].lstrip().startswith("%%"):
            cell_lines = ["" for _ in cell_lines]  # a cell magic: the body is not Python
        for index, line in enumerate(cell_lines):
            stripped = line.lstrip()
            if stripped.startswith(("%", "!")):
                cell_lines[index] = line[: len(line) - len(stripped)] + "pass"
        starts.append((len(lines) + 1, number))
        lines.extend(cell_lines)
    return "\n".join(lines) + "\n", starts


def _scan(path: str, data: bytes) -> _Module:
    """Parse one file; raises SyntaxError/ValueError (with a located message) if it can't."""
    source: str | bytes
    if path.endswith(".ipynb"):
        source, starts = _notebook_source(data)
        locator = _Locator(path, starts)
        module = _Module(path, f"{len(starts)} code cells")
    else:
        source, locator = data, _Locator(path)
        lines = data.count(b"\n") + (bool(data) and not data.endswith(b"\n"))
        module = _Module(path, f"{lines} lines")
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        where = locator.show(locator.key(exc.lineno or 1))
        raise ValueError(f"{where}: {exc.msg}") from None
    for top in tree.body:
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            kind = "class" if isinstance(top, ast.ClassDef) else "def"
            module.definitions.append((locator.key(top.lineno), kind, top.name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            module.imports.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            module.imports.add("." * node.level + (node.module or ""))
    _Scanner(module, locator).visit(tree)
    return module


def analyze(sandbox: Sandbox, path: str | None = None) -> str:
    """Summarise the Python code (`.py` and `.ipynb`) of one file or a directory.

    Args:
        sandbox: The repository.
        path: A root-relative file or directory; None means the whole root.

    Returns:
        Sections in a fixed order: libraries, the six pipeline categories with `path:line`
        entries, files that could not be analysed, then each module's imports and top-level
        definitions. Output is sorted and has no timings, so equal trees give equal text.

    Example:
        >>> print(analyze(Sandbox("."), "team/tools/analyze.py").splitlines()[0])
        analyzed 1 Python file and 0 notebooks in 'team/tools/analyze.py'
    """
    limits = sandbox.limits
    deadline = time.monotonic() + limits.timeout
    target = "." if path is None else path
    real = sandbox.resolve(target)
    shown = sandbox.relative(real)
    if real.is_dir():
        files = sorted(p for p in list_files(sandbox, under=shown) if p.endswith((".py", ".ipynb")))
    elif target.endswith((".py", ".ipynb")):
        files = [shown]
    else:
        raise SandboxError(f"analyze needs a .py or .ipynb file or a directory, got {target!r}")
    modules: list[_Module] = []
    failed: list[str] = []
    for index, rel in enumerate(files):
        if time.monotonic() > deadline:
            failed.append(
                f"stopped at the {limits.timeout:g} s limit; {len(files) - index} files not "
                "analyzed (analyze a subdirectory)"
            )
            break
        try:
            with sandbox.open_file(rel) as handle:
                data = handle.read(limits.max_file_bytes + 1)
            if len(data) > limits.max_file_bytes:
                failed.append(f"{rel}: skipped, larger than {limits.max_file_bytes} bytes")
                continue
            modules.append(_scan(rel, data))
        except (SandboxError, ValueError, RecursionError, MemoryError) as exc:
            message = str(exc) or type(exc).__name__
            failed.append(message if message.startswith(rel) else f"{rel}: {message}")
    return cap_output(_render(shown, modules, failed), limits)


def _render(shown: str, modules: list[_Module], failed: list[str]) -> str:
    notebooks = sum(module.path.endswith(".ipynb") for module in modules)
    python = len(modules) - notebooks
    out = [
        f"analyzed {python} Python file{'s' * (python != 1)} and {notebooks} "
        f"notebook{'s' * (notebooks != 1)} in {shown!r}"
    ]
    for label, known in (("ML libraries", ML_LIBRARIES), ("serving libraries", SERVING_LIBRARIES)):
        users: dict[str, set[str]] = defaultdict(set)
        for module in modules:
            for name in module.imports:
                if name.split(".")[0] in known:
                    users[name.split(".")[0]].add(module.path)
        listed = [f"{lib} ({len(p)} file{'s' * (len(p) != 1)})" for lib, p in sorted(users.items())]
        out.append(f"{label}: {', '.join(listed) or 'none'}")
    by_category: dict[str, set[tuple[str, tuple[int, int], str]]] = defaultdict(set)
    for module in modules:
        for category, key, detail in module.findings:
            by_category[category].add((module.path, key, detail))
    for category in CATEGORIES:
        entries = sorted(by_category[category])
        out.append(f"\n{category}:")
        out.extend(f"  {_where(p, key)} {detail}" for p, key, detail in entries[:_SECTION_CAP])
        if len(entries) > _SECTION_CAP:
            out.append(f"  ... {len(entries) - _SECTION_CAP} more (analyze a subdirectory)")
        if not entries:
            out.append("  (none found)")
    if failed:
        out.append("\nnot analyzed:")
        out.extend(f"  {line}" for line in failed)
    out.append("\nmodules:")
    for module in modules:
        out.append(f"  {module.path} ({module.size})")
        out.append(f"    imports: {', '.join(sorted(module.imports)) or '(none)'}")
        for key, kind, name in sorted(module.definitions):
            out.append(f"    {_where(module.path, key)} {kind} {name}")
    if not modules:
        out.append("  (no .py or .ipynb files)")
    return "\n".join(out)


def _where(path: str, key: tuple[int, int]) -> str:
    cell, line = key
    return f"{path}:cell {cell}:{line}" if path.endswith(".ipynb") else f"{path}:{line}"
