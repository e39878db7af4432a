"""Module names that a scope binds to something else: `random` as a generator parameter.

`def random_label_flip(y, random=None): ... random.choice(...)` draws from the NumPy
`RandomState` its caller passes, not from Python's `random` module; so does
`random = np.random.RandomState(seed=1); random.choice(...)`. A call's receiver is resolved by
the names bound where it is read, the way Python does: the enclosing function scopes (a
parameter, an assignment, a `for`/`with`/`except` target, a nested def), outwards, skipping class
bodies, then the module. A name the scope imports stays the module; a name declared `global`
is looked up at the module. A module-level binding shadows only when the module never imports
that name at its top level.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from dataclasses import dataclass, field

__all__ = ["MODULE_ROOTS", "reads_shadowed", "shadowed_receivers"]

# Names read as a module even when the file does not import them (`qualify` keeps them as is).
MODULE_ROOTS = frozenset({"random", "np", "numpy", "torch", "tf", "tensorflow", "jax", "jnp"})

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


@dataclass
class _Scope:
    node: ast.AST
    is_class: bool = False
    binds: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The nodes that belong to `scope` itself, not to a scope nested in it (a nested def's
    decorators and defaults, and a comprehension's first iterable, belong to the outer one)."""
    out: list[ast.AST] = []
    if isinstance(scope, _FUNCTIONS):
        todo: list[ast.AST] = [*scope.body] if isinstance(scope.body, list) else [scope.body]
    elif isinstance(scope, _COMPREHENSIONS):
        todo = [g.target for g in scope.generators]
        todo += [g.iter for g in scope.generators[1:]]
        todo += [i for g in scope.generators for i in g.ifs]
        todo += [scope.key, scope.value] if isinstance(scope, ast.DictComp) else [scope.elt]
    else:
        todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        out.append(node)
        if isinstance(node, _FUNCTIONS):
            todo.extend(d for d in getattr(node, "decorator_list", []))
            todo.extend(d for d in [*node.args.defaults, *node.args.kw_defaults] if d)
        elif isinstance(node, ast.ClassDef):
            todo.extend([*node.decorator_list, *node.bases, *(k.value for k in node.keywords)])
        elif isinstance(node, _COMPREHENSIONS):
            todo.append(node.generators[0].iter)
        else:
            todo.extend(ast.iter_child_nodes(node))
    return out


def _loads_module(call: ast.Call, name: str) -> bool:
    """`torch = _torch()`, `torch, nn = try_import_torch()`, `np = pytest.importorskip("numpy")`:
    a call that imports a module lazily (its callee names the module or an import, or it is
    given the module's name) binds the module itself."""
    callee = ast.unparse(call.func).rsplit(".", 1)[-1]
    named = any(isinstance(a, ast.Constant) and a.value == name for a in call.args)
    return name in callee or "import" in callee.lower() or named


def _scope_of(node: ast.AST) -> _Scope:
    scope = _Scope(node, is_class=isinstance(node, ast.ClassDef))
    if isinstance(node, _FUNCTIONS):
        a = node.args
        params = [*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg]
        scope.binds |= {p.arg for p in params if p is not None}
    for n in _own_nodes(node):
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store | ast.Del):
            scope.binds.add(n.id)
        elif isinstance(n, ast.Import | ast.ImportFrom):
            for alias in n.names:
                scope.imports.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(n, ast.Assign) and isinstance(n.value, ast.Call):
            targets = {t.id for x in n.targets for t in ast.walk(x) if isinstance(t, ast.Name)}
            scope.imports |= {name for name in targets if _loads_module(n.value, name)}
        elif isinstance(n, ast.Global | ast.Nonlocal):
            scope.globals |= set(n.names)
        elif isinstance(
            n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.ExceptHandler
        ):
            scope.binds |= {n.name} if n.name else set()
    return scope


def _shadowed(name: str, chain: list[_Scope]) -> bool:
    """Whether `name`, read in the innermost scope of `chain` (module first), is bound there to
    something other than an import."""
    inner = chain[-1]
    for scope in reversed(chain[1:]):
        if scope.is_class and scope is not inner:
            continue
        if name in scope.globals:
            break
        if name in scope.imports:
            return False
        if name in scope.binds:
            return True
    module = chain[0]
    return name in module.binds and name not in module.imports


def shadowed_receivers(tree: ast.Module, modules: Collection[str]) -> set[int]:
    """Ids of the `Name` nodes read as the head of an attribute (`random` in `random.choice`)
    whose name is one of `modules` (the file's import aliases and `MODULE_ROOTS`) but which the
    scope they are read in binds to something else: a parameter, a variable, a loop target.

    Example:
        >>> tree = ast.parse("def f(random):\\n    return random.choice([1, 2])")
        >>> len(shadowed_receivers(tree, {"random"}))
        1
    """
    names = set(modules)
    out: set[int] = set()

    def visit(node: ast.AST, chain: list[_Scope]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Attribute) and isinstance(child.value, ast.Name):
                head = child.value
                if head.id in names and _shadowed(head.id, chain):
                    out.add(id(head))
            if isinstance(child, (*_FUNCTIONS, ast.ClassDef, *_COMPREHENSIONS)):
                visit(child, [*chain, _scope_of(child)])
            else:
                visit(child, chain)

    visit(tree, [_scope_of(tree)])
    return out


def reads_shadowed(func: ast.AST, shadowed: set[int]) -> bool:
    """Whether the dotted chain `func` (`random.choice`, `np.random.rand`) starts at one of the
    `shadowed` names."""
    while isinstance(func, ast.Attribute):
        func = func.value
    return id(func) in shadowed
