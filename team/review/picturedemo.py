"""A `__main__` demo whose only output is a picture: its draws reach no result.

Baal's `utils/plot_utils.py` ends with a `__main__` block that makes three synthetic classes,
draws random "labelled at" steps with `np.random.randint`, hands them to the module's
`make_animation_from_data` and writes the frames to `output.gif` with `imageio.mimsave`. No model
is trained and no number is shown: the draw only decides what the example animation looks like.

Read here: a draw inside a module's `if __name__ == "__main__":` block, where the block writes or
shows a picture (`mimsave`, `imsave`, `imwrite`, `savefig`, `plt.show`), prints, logs and saves
nothing else, and neither the block nor a function of the module it calls trains or scores
anything or calls into any imported library but plotting, image and array ones (NumPy,
matplotlib, seaborn, imageio, PIL) and scikit-learn's data makers. A demo that prints a number,
trains or runs a model (neupy's SOFM demos, Spark's examples), or writes data stays reported.
"""

from __future__ import annotations

import ast
import re

from team.review.calltools import leaf_name
from team.review.randomness import Usage
from team.review.trainloops import trains

__all__ = ["main_block", "picture_demo_reason"]

_PICTURES = frozenset({"mimsave", "mimwrite", "imsave", "imwrite", "savefig", "show"})
_DRAWING_LIBRARIES = ("numpy", "matplotlib", "seaborn", "imageio", "PIL", "sklearn.datasets")
_OUTPUTS = re.compile(r"(?i)^(print|display|log|save|dump|write|to_csv|to_json|add_scalar)")
_SCORES = re.compile(r"(?i)(score|evaluate|metric|accuracy|_error|_loss)")


def picture_demo_reason(use: Usage, call: ast.Call, tree: ast.Module) -> str | None:
    """Why a draw in a `__main__` demo reaches no result: the demo only makes a picture.

    Example:
        >>> import ast
        >>> from team.review.randomness import Usage
        >>> code = (
        ...     "def frames(x):\\n    return plot(x)\\n"
        ...     "if __name__ == '__main__':\\n"
        ...     "    x = np.random.rand(9)\\n    imageio.mimsave('out.gif', frames(x))"
        ... )
        >>> tree = ast.parse(code)
        >>> draw = tree.body[1].body[0].value
        >>> picture_demo_reason(Usage(tree), draw, tree)
        'a __main__ demo that only makes a picture (mimsave): it trains, scores and prints nothing'
    """
    block = main_block(use, call, tree)
    if block is None:
        return None
    calls = [n for n in ast.walk(block) if isinstance(n, ast.Call)]
    names = [leaf_name(c.func) for c in calls]
    pictures = sorted(
        {n for c, n in zip(calls, names, strict=True) if n in _PICTURES and _picture(c)}
    )
    if not pictures:
        return None
    if any(n not in _PICTURES and (_OUTPUTS.match(n) or _SCORES.search(n)) for n in names):
        return None
    local = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    reached = [local[n] for n in names if n in local]
    libraries = _imported(tree)
    for node in [block, *reached]:
        inner = [c for c in ast.walk(node) if isinstance(c, ast.Call)]
        if trains(inner) or any(_SCORES.search(leaf_name(c.func)) for c in inner):
            return None
        if any(
            not libraries.get(_root(c.func), "numpy").startswith(_DRAWING_LIBRARIES) for c in inner
        ):
            return None
    return (
        f"a __main__ demo that only makes a picture ({', '.join(pictures)}): it trains, scores "
        "and prints nothing"
    )


def main_block(use: Usage, call: ast.AST, tree: ast.Module) -> ast.If | None:
    """The module-level `if __name__ == "__main__":` block holding `call`, if any."""
    node: ast.AST | None = call
    while node is not None and not (isinstance(node, ast.If) and node in tree.body):
        node = use.up(node)
    if not isinstance(node, ast.If):
        return None
    test = node.test
    if (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and len(test.comparators) == 1
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value == "__main__"
    ):
        return node
    return None


def _picture(call: ast.Call) -> bool:
    """`imageio.mimsave(...)`, `fig.savefig(...)`; `show` only as `plt.show()` (a Spark
    DataFrame's `show()` prints a table)."""
    if leaf_name(call.func) != "show":
        return True
    return ast.unparse(call.func) in ("plt.show", "pyplot.show", "matplotlib.pyplot.show")


def _root(func: ast.expr) -> str:
    while isinstance(func, ast.Attribute | ast.Call | ast.Subscript):
        func = func.func if isinstance(func, ast.Call) else func.value
    return func.id if isinstance(func, ast.Name) else ""


def _imported(tree: ast.Module) -> dict[str, str]:
    """Name bound by an import -> the module it comes from (`np` -> `numpy`)."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                out[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                out[alias.asname or alias.name] = node.module
    return out
