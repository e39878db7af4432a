"""When an estimator built without `random_state` is still reproducible, and why.

`unseeded-randomness` asks these questions of each random estimator it would report:

- Does an ensemble reseed it? A base estimator handed to `AdaBoostClassifier(...,
  random_state=0)` (directly, or through a variable) gets its seed from the ensemble.
- Is it deterministic as configured? `KMeans(init=array)` starts from given centres; a
  `DecisionTree*` with every feature considered, fitted on a single-feature column, has no
  feature order to permute.
- Is it ever fitted? An estimator built only to be displayed or printed produces no result.

And of a bare `np.random.*` / `random.*` draw (`deliberate_draw_reason`): is it random on purpose?
A seed drawn at random and kept in a `*seed*` variable (so each run shows a new example),
sampling a model's output to generate text (inside a function with a `temperature` /
`diversity` parameter, or one that calls such a function), or a draw that only decorates a plot
(given straight to a plotting call, or kept as colours / jitter).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator

from team.review.calltools import leaf_name
from team.review.catalog import words
from team.review.startweights import fixed_layers, replaced_by_saved_weights

__all__ = [
    "Usage",
    "deliberate_draw_reason",
    "enclosing_function",
    "in_library_class",
    "is_script",
    "main_guard",
    "not_random_reason",
    "only_plotted_reason",
    "reads_in_scope",
    "runs_nothing_on_import",
    "starts_from_given_centres",
    "torch_draws",
    "uncalled_hook",
]

_FITS = frozenset({"fit", "fit_transform", "fit_predict", "partial_fit", "fit_resample"})
_DISPLAY = frozenset({"print", "display", "repr", "str", "estimator_html_repr", "set_config"})
_ONE_COLUMN = re.compile(
    r"reshape\(\s*-1\s*,\s*1\s*\)|\[\s*:\s*,\s*(np\.newaxis|numpy\.newaxis|None)\s*\]"
    r"|rand[n]?\(\s*[\w.]+\s*,\s*1\s*\)|size=\(\s*[\w.]+\s*,\s*1\s*\)"
)


class Usage:
    """Parents, name bindings and name uses of one module, built once."""

    def __init__(self, tree: ast.Module) -> None:
        self.parents: dict[int, ast.AST] = {}
        self.assigned: dict[str, list[ast.expr]] = {}
        self.loads: dict[str, list[ast.Name]] = {}
        self.decorating: set[int] = set()
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parents[id(child)] = node
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.assigned.setdefault(target.id, []).append(node.value)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                self.loads.setdefault(node.id, []).append(node)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.decorating |= {id(n) for d in node.decorator_list for n in ast.walk(d)}

    def up(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(id(node))

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        """The nodes around `node`, nearest first, up to the module."""
        parent = self.up(node)
        while parent is not None:
            yield parent
            parent = self.up(parent)

    def holder(self, call: ast.Call) -> tuple[ast.AST, list[ast.AST]]:
        """The statement around a constructor call, and the expressions it is nested in."""
        chain: list[ast.AST] = []
        node: ast.AST = call
        while (parent := self.up(node)) is not None and not isinstance(parent, ast.stmt):
            chain.append(parent)
            node = parent
        return (parent if parent is not None else node), chain

    def names_of(self, call: ast.Call) -> list[str]:
        stmt, _ = self.holder(call)
        if isinstance(stmt, ast.Assign):
            return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
        return []


def _seeds(call: ast.AST) -> bool:
    """An estimator constructor (an ensemble) given a non-None `random_state`."""
    return (
        isinstance(call, ast.Call)
        and leaf_name(call.func)[:1].isupper()
        and any(
            k.arg == "random_state"
            and not (isinstance(k.value, ast.Constant) and k.value.value is None)
            for k in call.keywords
        )
    )


def _enclosing_calls(use: Usage, node: ast.AST) -> list[ast.Call]:
    out = []
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Call) and parent.func is not node:
            out.append(parent)
        node, parent = parent, use.up(parent)
    return out


def _reseeded(use: Usage, call: ast.Call) -> bool:
    if any(_seeds(c) for c in _enclosing_calls(use, call)):
        return True
    for name in use.names_of(call):
        for load in use.loads.get(name, []):
            if any(_seeds(c) for c in _enclosing_calls(use, load)):
                return True
    return False


def _fitted(use: Usage, node: ast.AST, depth: int = 0) -> bool:
    """Some code fits it: `.fit(...)`, or it is handed to anything but a display call or a
    constructor (a `Pipeline` or search around it counts only if that one is fitted)."""
    if depth > 4:
        return True
    chain: list[ast.AST] = []
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.stmt):
        if isinstance(parent, ast.Attribute):
            return parent.attr in _FITS  # est.fit(...) fits; est.named_steps does not
        if isinstance(parent, ast.Call) and parent.func is not (chain or [node])[-1]:
            name = leaf_name(parent.func)
            if not (name in _DISPLAY or name[:1].isupper() or name.startswith("make_")):
                return True  # handed to a function: cross_val_score, a helper
            if name in _DISPLAY:
                return False
        chain.append(parent)
        parent = use.up(parent)
    if chain and isinstance(chain[-1], ast.List | ast.Tuple | ast.Dict | ast.Set):
        return True  # a collection of models, iterated and fitted elsewhere
    if not isinstance(parent, ast.Assign):
        return not isinstance(parent, ast.Expr)  # returned, looped over, yielded: used
    names = [t.id for t in parent.targets if isinstance(t, ast.Name)]
    if len(names) < len(parent.targets):
        return True  # stored into an attribute or a container: assume used
    return any(_fitted(use, load, depth + 1) for n in names for load in use.loads.get(n, []))


def _one_feature(use: Usage, call: ast.Call) -> bool:
    """Every `fit` of this estimator gets a single-column `X` (`x.reshape(-1, 1)`)."""
    fits: list[ast.Call] = []
    for node in [call, *(load for n in use.names_of(call) for load in use.loads.get(n, []))]:
        parent = use.up(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "fit":
            fit = use.up(parent)
            if isinstance(fit, ast.Call) and fit.args:
                fits.append(fit)
    if not fits:
        return False
    for fit in fits:
        x = fit.args[0]
        values = use.assigned.get(x.id, []) if isinstance(x, ast.Name) else [x]
        if not values or not all(
            _ONE_COLUMN.search(ast.unparse(v)) or _one_named_column(v) for v in values
        ):
            return False
    return True


def _one_named_column(value: ast.expr) -> bool:
    """`df[["x"]]`: a frame cut to one column named by a string (autoscore 1.3.0's binning.py:637
    fits its cut-point tree on `df[['x']]`; fresh66, judged false)."""
    return (
        isinstance(value, ast.Subscript)
        and isinstance(value.slice, ast.List)
        and len(value.slice.elts) == 1
        and isinstance(col := value.slice.elts[0], ast.Constant)
        and isinstance(col.value, str)
    )


def starts_from_given_centres(cls: str, call: ast.Call) -> bool:
    """`KMeans(init=centres)`: k-means from given centres draws no initial ones."""
    init = next((k.value for k in call.keywords if k.arg == "init"), None)
    return (
        cls in ("KMeans", "MiniBatchKMeans")
        and init is not None
        and not (isinstance(init, ast.Constant) and isinstance(init.value, str))
    )


def not_random_reason(use: Usage, call: ast.Call, cls: str) -> str | None:
    """Why this estimator, built without `random_state`, is still reproducible; else None."""
    kw = {k.arg: k.value for k in call.keywords if k.arg}
    if id(call) in use.decorating:
        return "it parametrises a test (a decorator), it is no experiment"
    if _reseeded(use, call):
        return "an ensemble given random_state reseeds it"
    if starts_from_given_centres(cls, call):
        return "KMeans starts from the given centres"
    if (
        cls.startswith("DecisionTree")
        and "max_features" not in kw
        and "splitter" not in kw
        and _one_feature(use, call)
    ):
        return "a tree over one feature has no feature order to permute"
    if not _fitted(use, call):
        return "it is never fitted"
    return _shown_layout_reason(use, call)


def _shown_layout_reason(use: Usage, call: ast.Call) -> str | None:
    """`def plot_tsne(x, y): Y = TSNE().fit_transform(x); plt.scatter(Y[:, 0], ...)`: an
    estimator fitted inside a helper that only shows (named `plot_*` / `show_*`, returning
    nothing), whose output is only plotted. The layout is a
    picture for the caller, who seeds numpy if they want the same one; a script or example that
    embeds its own data and compares the picture keeps the finding."""
    func = enclosing_function(use, call)
    if func is None or not _only_shows(func) or only_plotted_reason(use, call) is None:
        return None
    return f"its output is only plotted by {func.name}(), a helper that returns nothing"


_SAMPLING_PARAMS = frozenset({"temperature", "diversity", "top_k", "top_p"})
_PLOTTING = frozenset(
    {"scatter", "plot", "bar", "barh", "hist", "imshow", "text", "annotate", "fill_between"}
)
_DECORATION = re.compile(r"colou?rs?|jitter", re.I)
# Calls that make a file or folder name of their arguments.
_PATH_MAKERS = words("join Path PurePath makedirs mkdir mkdtemp TemporaryDirectory")


def _only_names_a_path(use: Usage, call: ast.Call, names: list[str]) -> bool:
    """`rand_int = str(random.randint(1, 1000)); temp_dir = os.path.join(temp_dir, "temp_" +
    rand_int)`: every read of what the draw is bound to, in its function, builds a path (TabPFN's
    AutoPyTorch baseline names a temporary folder so that parallel runs do not collide)."""
    loads = reads_in_scope(use, call, names)
    return bool(loads) and all(
        any(leaf_name(c.func) in _PATH_MAKERS for c in _enclosing_calls(use, load))
        for load in loads
    )


def reads_in_scope(use: Usage, node: ast.AST, names: list[str]) -> list[ast.Name]:
    """The reads of `names` in the function around `node` (or at the top level, outside any)."""
    scope = enclosing_function(use, node)
    return [
        load
        for name in names
        for load in use.loads.get(name, [])
        if enclosing_function(use, load) is scope
    ]


def _plots(call: ast.Call) -> bool:
    """A call that draws: `scatter`, `text`, or any function named for a plot (`pairplot`,
    `az.plot_dist`, `sns.kdeplot`)."""
    name = leaf_name(call.func)
    return name in _PLOTTING or "plot" in name.lower()


# Functions that only show something (they return nothing): a draw there picks what is shown.
_SHOWS = re.compile(r"^_?(print|show|display|plot|visuali[sz]e)_", re.I)


def _only_shows(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def plot_tsne(x, y): ... plt.show()`: a function named for showing that returns nothing."""
    return bool(_SHOWS.match(func.name)) and not any(
        isinstance(n, ast.Return) and n.value is not None for n in ast.walk(func)
    )


def enclosing_function(use: Usage, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
        parent = use.up(parent)
    return parent


def _samples_output(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = func.args
    return any(a.arg in _SAMPLING_PARAMS for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])


def _takes_sample_shape(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """`def sample(self, sample_shape)`: the method of a (toy or wrapped) distribution, which
    draws by design, as `torch.distributions` does; the code that calls it owns the seed."""
    args = func.args
    return any(a.arg == "sample_shape" for a in [*args.posonlyargs, *args.args, *args.kwonlyargs])


def _only_plotted_in_loop(use: Usage, call: ast.Call) -> bool:
    """`for response in gam.sample(X, y, n_draws=50): plt.scatter(XX, response, alpha=.03)`:
    the draws are a loop's items, and every use of them is an argument of a plotting call."""
    loop = use.up(call)
    if not (isinstance(loop, ast.For) and loop.iter is call):
        return False
    targets = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    uses = [
        n
        for stmt in loop.body
        for n in ast.walk(stmt)
        if isinstance(n, ast.Name) and n.id in targets and isinstance(n.ctx, ast.Load)
    ]
    return bool(uses) and all(any(_plots(c) for c in _enclosing_calls(use, n)) for n in uses)


def _in_plotting_call(use: Usage, node: ast.AST) -> bool:
    return any(_plots(c) for c in _enclosing_calls(use, node))


def _loop_targets_plotted(use: Usage, load: ast.Name) -> bool:
    """`for x, y in zip(points, y): ax.scatter(x, y)`: the read is what a loop iterates
    (alone or as one argument of `zip`), and every read in the loop body of the target it
    becomes is an argument of a plotting call."""
    parent = use.up(load)
    if isinstance(parent, ast.For) and parent.iter is load:
        loop, target = parent, parent.target
    elif isinstance(parent, ast.Call) and leaf_name(parent.func) == "zip":
        loop_node = use.up(parent)
        if not (
            isinstance(loop_node, ast.For)
            and loop_node.iter is parent
            and isinstance(loop_node.target, ast.Tuple)
            and len(loop_node.target.elts) == len(parent.args)
            and load in parent.args
        ):
            return False
        loop, target = loop_node, loop_node.target.elts[parent.args.index(load)]
    else:
        return False
    names = {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
    reads = [
        n
        for stmt in loop.body
        for n in ast.walk(stmt)
        if isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)
    ]
    return bool(reads) and all(_in_plotting_call(use, n) for n in reads)


def only_plotted_reason(use: Usage, call: ast.Call) -> str | None:
    """`normal_data = np.random.normal(size=100_000)` then only `plt.hist(normal_data, ...)`:
    data drawn from a named distribution to show its shape. Every read of every name the draw
    is bound to is an argument of a plotting call (or what a loop iterates to plot each item),
    so no fitted or printed number depends on it. (A model's own samples shown in a plot are
    its result; callers keep those.)"""
    names = use.names_of(call)
    loads = [n for name in names for n in use.loads.get(name, [])]
    if not (names and loads) or not all(
        _in_plotting_call(use, n) or _loop_targets_plotted(use, n) for n in loads
    ):
        return None
    return "drawn only to be plotted (every use is a plotting call), no result depends on it"


def _default_for_argument(use: Usage, call: ast.Call) -> str | None:
    """`if not m4_id: label = random.choice(labels)` / `else: label = m4_id`: the draw stands in
    for a function's argument the caller left out, so it picks an example at random on purpose
    and the caller fixes it by passing the argument. The parameter's name, else None."""
    stmt, _ = use.holder(call)
    branch = use.up(stmt)
    func = enclosing_function(use, call)
    if not (isinstance(stmt, ast.Assign) and isinstance(branch, ast.If) and func is not None):
        return None
    if stmt not in branch.body:
        return None
    args = func.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    tested = {n.id for n in ast.walk(branch.test) if isinstance(n, ast.Name)} & params
    names = set(use.names_of(call))
    given = {
        other.value.id
        for other in branch.orelse
        if isinstance(other, ast.Assign)
        and isinstance(other.value, ast.Name)
        and any(isinstance(t, ast.Name) and t.id in names for t in other.targets)
    }
    return min(tested & given) if tested & given else None


def deliberate_draw_reason(use: Usage, call: ast.Call, tree: ast.Module) -> str | None:
    """Why a bare random draw is random on purpose (no seed wanted); else None."""
    names = use.names_of(call)
    if any("seed" in name.lower() for name in names):
        return "a seed drawn at random on purpose, so each run shows a new example"
    if (param := _default_for_argument(use, call)) is not None:
        return f"an example picked at random only when no {param} is given; passing it fixes it"
    plotting = [c for c in _enclosing_calls(use, call) if _plots(c)]
    if plotting or (names and all(_DECORATION.search(name) for name in names)):
        return "it only decorates a plot (colours, jitter), no result depends on it"
    if _only_plotted_in_loop(use, call):
        return "each draw is only plotted (a loop that scatters them), no result depends on it"
    if _only_names_a_path(use, call, names):
        return "it only names a file or folder (a path joined from it), no result depends on it"
    func = enclosing_function(use, call)
    if func is None:
        return None
    if _takes_sample_shape(func):
        return (
            f"{func.name}() is a distribution's sampler (it takes sample_shape), its caller seeds"
        )
    if _only_shows(func):
        return f"it only picks what {func.name}() shows, no result depends on it"
    if _samples_output(func):
        return f"sampling in {func.name}() (a temperature/diversity parameter), random on purpose"
    samplers = {
        f.name
        for f in ast.walk(tree)
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and _samples_output(f)
    }
    called = {leaf_name(c.func) for c in ast.walk(func) if isinstance(c, ast.Call)}
    if samplers & called:
        sampler = min(samplers & called)
        return f"{func.name}() generates output with {sampler}(), random on purpose"
    return None


# What makes a PyTorch training run differ between runs. Layers with weights start from random
# values; norms, activations, losses and containers do not.
_TORCH_DRAWS = words(
    "rand randn randint randperm rand_like randn_like randint_like normal bernoulli multinomial "
    "poisson"
)
_TENSOR_DRAWS = words(
    "normal_ uniform_ bernoulli_ random_ exponential_ cauchy_ log_normal_ geometric_ "
    "sample rsample sample_n"
)
_RANDOM_LAYER = re.compile(
    r"Linear|Conv|LSTM|GRU|RNN|Embedding|Attention|Transformer|Dropout|RReLU"
)
# Structured kernel interpolation (KISS-GP, SKIP): the marginal likelihood's log-determinant is
# estimated by stochastic Lanczos quadrature, with random probe vectors.
_INTERPOLATED_KERNELS = words(
    "GridInterpolationKernel ProductStructureKernel AdditiveStructureKernel"
)
_FIXED_INIT = words("constant_ ones_ zeros_ eye_ dirac_ calculate_gain")
# Libraries a PyTorch script uses that draw nothing at random themselves.
_QUIET_ROOTS = words(
    "torch gpytorch numpy random pandas scipy math matplotlib seaborn os sys time pathlib json urllib "
    "collections itertools functools tqdm warnings typing dataclasses IPython logging argparse copy "
    "re shutil glob pickle csv datetime statistics operator string io contextlib abc enum types "
    "inspect gc platform subprocess threading multiprocessing queue pprint zipfile tarfile gzip "
    "hashlib uuid requests PIL cv2 h5py yaml sklearn joblib "
    # experiment trackers: they log metrics and files, they build no model and draw nothing
    "wandb mlflow neptune comet_ml tensorboardX clearml aim"
)


def _shuffles(kw: dict[str, ast.expr]) -> bool:
    """A DataLoader's order is random unless `shuffle` is left out or a false constant and no
    sampler is given."""
    shuffle = kw.get("shuffle")
    fixed = shuffle is None or (isinstance(shuffle, ast.Constant) and not shuffle.value)
    return not fixed or "sampler" in kw or "batch_sampler" in kw


# ... and `io` reads files (`skimage.io.imread`)
_QUIET_PARTS = frozenset(
    {"callbacks", "loggers", "losses", "metrics", "optimizers", "profilers", "io"}
)
_QUIET_CLASSES = frozenset({"Trainer", "TensorBoardLogger", "CSVLogger", "ModelCheckpoint"})
_DATA_HELPER = re.compile(r"^(load|generate|get|make|read|fetch|download)_")
_DATA_CLASS = re.compile(r"Data[Ss]et|Encoder|Normali[sz]er|Scaler|Loader|Transform")


def _draws_weights(qual: str, imported: set[str]) -> int | None:
    """How surely a call makes a model's start or its training order random: -1 for Pyro's SVI
    (it samples at every step), 0 for what is known to draw (layers with random initial
    weights, init, dropout, random splits and samplers, a class named Random*), 1 for a call
    into a library not known to draw nothing (a model from torchvision may start from random
    weights), 2 for a library's data helper (`load_*`, `generate_*`), None for anything else.
    Dataset constructors (`*.datasets.*`) read data and draw nothing."""
    parts = qual.split(".")
    last = parts[-1]
    if qual in ("pyro.infer.SVI", "pyro.infer.svi.SVI"):
        return -1  # samples the model and guide at every step: the surest cause of all
    if qual.startswith("torch.nn.init."):
        return 0 if last not in _FIXED_INIT else None
    if qual.startswith("torch.nn.functional."):
        return 0 if "dropout" in last else None
    if qual.startswith("torch.nn."):
        return 0 if _RANDOM_LAYER.search(last) else None
    if qual.startswith(("torch.utils.data.random_split", "torch.utils.data.RandomSampler")):
        return 0
    if qual.startswith(("gpytorch.variational.", "gpytorch.kernels.keops.")) or (
        qual.startswith("gpytorch.kernels.") and last in _INTERPOLATED_KERNELS
    ):
        # a variational mean starts from noise; KeOps-sized data and interpolated kernels
        # estimate the log-determinant with random probe vectors
        return 0
    if parts[0] not in imported or parts[0] in _QUIET_ROOTS:
        return None
    if last.startswith("Random") or _RANDOM_LAYER.search(last):
        return 0  # RandomRotate, a library's GCNConv or LSTM layer
    if (
        "datasets" in parts
        or _QUIET_PARTS & set(parts)
        or last in _QUIET_CLASSES
        or last.endswith(("Callback", "Logger"))
    ):
        # datasets read data; callbacks, loggers, losses, metrics, optimizers, trainers draw nothing
        return None
    # a data helper (`generate_ar_data`, `get_loaders`) may draw, but a model is the likelier cause
    data_side = _DATA_HELPER.match(last) or any(_DATA_CLASS.search(p) for p in parts[-2:])
    return 2 if data_side else 1


def _pretrained(kw: dict[str, ast.expr]) -> bool:
    """`models.resnet18(pretrained=True)`, `weights=ResNet18_Weights.DEFAULT`: the weights are
    loaded from a checkpoint, not drawn (a new head put on it is a layer of its own)."""
    pretrained, weights = kw.get("pretrained"), kw.get("weights")
    if isinstance(pretrained, ast.Constant) and pretrained.value is True:
        return True
    return weights is not None and not (isinstance(weights, ast.Constant) and not weights.value)


_SMOKE_TEST = re.compile(r"smoke|\bCI\b|\bIS_CI\b")


def smoke_test_only(tree: ast.AST) -> set[int]:
    """Ids of the nodes that run only in a smoke test (`if smoke_test: X = torch.randn(...)`,
    `if 'CI' in os.environ:`, the `else` of `if not smoke_test:`): the random stand-in data a
    continuous-integration run uses in place of the real data, which the reported run reads."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.If) or not _SMOKE_TEST.search(ast.unparse(node.test)):
            continue
        negated = isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
        for stmt in node.orelse if negated else node.body:
            out |= {id(n) for n in ast.walk(stmt)}
    return out


def _decorators(tree: ast.Module) -> set[int]:
    """Ids of the calls that decorate a def or class (Lightning Bolts' `@under_review()`):
    they wrap a function, they build no model and draw nothing."""
    return {
        id(call)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        for deco in node.decorator_list
        for call in ast.walk(deco)
        if isinstance(call, ast.Call)
    }


def _raised(tree: ast.Module) -> set[int]:
    """Ids of the calls that build a raised exception (`raise optuna.TrialPruned()`): control
    flow, which draws nothing."""
    return {
        id(node.exc)
        for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
    }


def torch_draws(
    tree: ast.Module, qualify: Callable[[ast.AST], str | None], imported: set[str]
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The random sources of a PyTorch script: (model side, data side), each (line, what).

    Model side: layers with random initial weights, `torch.nn.init` draws, dropout, shuffled
    loaders and random splits, variational GP distributions (their mean starts from noise),
    Pyro's sampling, and anything built by a library not known to draw nothing (a model from
    torchvision or braindecode may start from random weights). Data side: tensors drawn at
    random (`torch.randn` noise added to simulated targets). A script with neither trains the
    same way every run: an exact GP on data read from a file, for instance. Draws that only a
    smoke test makes (`if smoke_test: X = torch.randn(...)`), layers set in full to fixed values
    (`nn.init.zeros_`) and models filled with saved weights (`load_state_dict`, see
    `startweights`) are left out. The model side
    lists what surely draws first, so a finding names the real cause.
    """
    model: list[tuple[int, int, str]] = []  # (how sure, line, what)
    data: list[tuple[int, str]] = []
    skipped = smoke_test_only(tree) | _decorators(tree) | fixed_layers(tree, qualify)
    skipped |= replaced_by_saved_weights(tree) | _raised(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in skipped:
            continue
        qual = qualify(node.func) or ""
        kw = {k.arg: k.value for k in node.keywords if k.arg}
        sure = _draws_weights(qual, imported)
        if qual.rsplit(".", 1)[-1] == "DataLoader" and _shuffles(kw):
            model.append((0, node.lineno, "DataLoader(shuffle=True)"))
        elif sure is not None and not _pretrained(kw):
            model.append((sure, node.lineno, f"{qual}()"))
        elif qual.startswith("torch.") and qual.count(".") == 1 and qual[6:] in _TORCH_DRAWS:
            data.append((node.lineno, f"{qual}()"))
        elif isinstance(node.func, ast.Attribute) and node.func.attr.startswith(
            "initialize_from_data"
        ):
            model.append((0, node.lineno, f".{node.func.attr}()"))  # a spectral mixture's start
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr in _TENSOR_DRAWS
            and not {"n", "frac", "random_state"} & kw.keys()  # DataFrame.sample
        ):
            data.append((node.lineno, f".{node.func.attr}()"))
    return [(line, what) for _, line, what in sorted(model)], sorted(data)


def in_library_class(use: Usage, node: ast.AST, tree: ast.Module) -> bool:
    """`node` sits in a method of a class, in a module that runs nothing when imported (only
    imports, definitions and constants at the top): a library, such as an optimizer whose line
    search calls `backward()`, which the script that imports it seeds."""
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.ClassDef):
        parent = use.up(parent)
    return parent is not None and runs_nothing_on_import(tree)


def uncalled_hook(use: Usage, node: ast.AST, tree: ast.Module) -> str | None:
    """The top-level function `node` sits in, when nothing in the module calls or names it and
    the module runs nothing when imported: a hook that a runner outside the module calls (a
    Talos template's `model(data, params)`), whose caller owns the seed. Else None."""
    func, parent = None, use.up(node)
    while parent is not None and not isinstance(parent, ast.Module):
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            func = parent
        parent = use.up(parent)
    if func is None or use.up(func) is not tree or func.name in use.loads:
        return None
    return func.name if runs_nothing_on_import(tree) else None


def runs_nothing_on_import(tree: ast.Module) -> bool:
    """Only imports, definitions, constants, the module's logger and a `__main__` guard at the
    top of the module. Flair's trainer.py sets `log = logging.getLogger("flair")` and defines
    `ModelTrainer`: a library module, which its caller runs (and seeds, with `flair.set_seed`)."""
    quiet = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for stmt in tree.body:
        if isinstance(stmt, quiet) or _names_logger(stmt):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and not any(
            isinstance(n, ast.Call) for n in ast.walk(stmt)
        ):
            continue
        if isinstance(stmt, ast.If) and "__name__" in ast.unparse(stmt.test):
            continue
        return False
    return True


def main_guard(tree: ast.Module) -> bool:
    """A `__main__` guard: the module is run as a script of its own (Lightning Bolts'
    `simclr_module.py` pretrains SimCLR from its `cli_main()`), whoever else imports it."""
    return any(
        isinstance(stmt, ast.If) and "__name__" in ast.unparse(stmt.test) for stmt in tree.body
    )


def is_script(tree: ast.Module) -> bool:
    """A script: it runs statements when imported (other than naming its logger), or under a
    `__main__` guard. Stanza's trainer.py sets `logger = logging.getLogger('stanza')` and
    defines a class: a library module, which its caller outside the folder runs."""
    return not runs_nothing_on_import(tree) or main_guard(tree)


def _names_logger(stmt: ast.stmt) -> bool:
    """`logger = logging.getLogger(__name__)`: a top-level statement that runs nothing."""
    return (
        isinstance(stmt, ast.Assign)
        and isinstance(stmt.value, ast.Call)
        and ast.unparse(stmt.value.func).rsplit(".", 1)[-1] == "getLogger"
    )
