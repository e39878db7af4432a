"""A random probe input fed to a model that nothing trains: no result depends on the draw.

thqml's phase-space notebooks build a Keras model from constant layers (a vacuum, a displacer,
squeezers, beam splitters), draw `xtrain = np.random.rand(1, N) - 0.5` and call the model on it
once or twice to print a covariance matrix or photon numbers (`cov0, d0, h0 = model_cov(xtrain)`,
`print(Nphoton(xtrain))`). The draw only gives the model an input of the right shape; nothing is
fitted, and nothing in the notebook draws weights at random, so every printed number is the same
on each run.

Read here, in a notebook: a draw bound to one name, once, whose every read is the only argument
of a call of an object the notebook built (a model or a layer: a name bound to a call, not a
function it defines), of a `*_like` maker (`np.zeros_like(xtrain)`) or a `.shape`, where the
notebook trains nothing (no `fit`, `train`, `minimize`, `apply_gradients`, `backward`, `step`,
`evaluate` or `score`) and calls nothing whose name says it draws (`RandomLayer`,
`HaarLayerConstant`, dropout, noise, sampling, shuffling). A draw handed to a function the
notebook defines (a Monte Carlo estimate), used in arithmetic, or fed to a model that is trained
or built with random parts stays reported.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.randomness import Usage
from team.review.sources import SourceFile

__all__ = ["probe_input_reason"]

_TRAINS = frozenset(
    {
        "fit",
        "fit_generator",
        "partial_fit",
        "train",
        "train_on_batch",
        "minimize",
        "apply_gradients",
        "backward",
        "step",
        "evaluate",
        "score",
    }
)
_DRAWS = re.compile(r"(?i)random|rand_|haar|noise|dropout|shuffle|sample|permut")
_GLOBAL_DRAWS = ("np.random.", "numpy.random.", "random.")


def probe_input_reason(use: Usage, call: ast.Call, src: SourceFile) -> str | None:
    """Why the bare draw `call` in a notebook is only a probe input of an untrained model.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> from team.review.sources import SourceFile
        >>> code = (
        ...     "model = tf.keras.Model(inputs=xin, outputs=out)\\n"
        ...     "xtrain = np.random.rand(1, 2) - 0.5\\nprint(model(xtrain))\\n"
        ... )
        >>> src = SourceFile("a.ipynb", code, ast.parse(code), cells=[1, 1, 2])
        >>> draw = src.tree.body[1].value.left
        >>> probe_input_reason(Usage(src.tree), draw, src)
        'a probe input: only fed to model(), and the notebook trains nothing and draws no weights'
    """
    if src.cells is None:
        return None
    name = _bound_name(use, call)
    if name is None or len(use.assigned.get(name, [])) != 1:
        return None
    loads = use.loads.get(name, [])
    models = [m for load in loads if (m := _probe_of(use, load)) is not None]
    fed = sorted({m for m in models if m})
    if not fed or len(models) < len(loads) or _trains_or_draws(src.tree):
        return None
    return (
        f"a probe input: only fed to {', '.join(f'{m}()' for m in fed)}, "
        "and the notebook trains nothing and draws no weights"
    )


def _bound_name(use: Usage, call: ast.Call) -> str | None:
    """`x = <draw>` or `x = <draw> - 0.5` at a notebook's top level: x."""
    stmt, chain = use.holder(call)
    if not isinstance(stmt, ast.Assign) or use.up(stmt) is None:
        return None
    if not isinstance(use.up(stmt), ast.Module) or len(stmt.targets) != 1:
        return None
    if not all(isinstance(c, ast.BinOp) and _constant_side(c, call) for c in chain):
        return None
    target = stmt.targets[0]
    return target.id if isinstance(target, ast.Name) else None


def _constant_side(op: ast.BinOp, draw: ast.Call) -> bool:
    other = op.right if any(n is draw for n in ast.walk(op.left)) else op.left
    return isinstance(other, ast.Constant)


def _probe_of(use: Usage, load: ast.Name) -> str | None:
    """The model a read feeds ("" for a shape-only read), or None for any other read."""
    parent = use.up(load)
    if isinstance(parent, ast.Attribute) and parent.attr in ("shape", "ndim", "dtype"):
        return ""
    if not isinstance(parent, ast.Call) or parent.args != [load] or parent.keywords:
        return None
    if leaf_name(parent.func).endswith("_like"):
        return ""
    if not isinstance(parent.func, ast.Name):
        return None
    made = use.assigned.get(parent.func.id, [])
    if not made or not all(isinstance(m, ast.Call) for m in made):
        return None
    return parent.func.id


def _trains_or_draws(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in _TRAINS:
            return True
        dotted = ast.unparse(node.func)
        if not dotted.startswith(_GLOBAL_DRAWS) and _DRAWS.search(leaf_name(node.func)):
            return True
    return False
