"""A `backward()` that takes the gradient of an input, not of a model's weights.

robustness's PGD attack (attacker.py) makes its images a leaf with
`x = x.clone().detach().requires_grad_(True)`, calls `loss.backward()` and reads `x.grad` to
step the images; no optimizer steps and no weight gradient is cleared. That backward trains
nothing and draws nothing, so it is no PyTorch training loop to seed (a saliency map or an
input-gradient explanation reads the same way). A function that also clears the weights'
gradients (`zero_grad()`) or steps an optimizer (`opt.step()` with no argument, or a closure)
still trains, and its backward is kept.
"""

from __future__ import annotations

import ast

from team.review.randomness import Usage, enclosing_function

__all__ = ["input_gradient_reason"]


def input_gradient_reason(use: Usage, backward: ast.Call) -> str | None:
    """Why this `backward()` is the gradient of an input (an attack step), else None."""
    func = enclosing_function(use, backward)
    if func is None or _trains(func):
        return None
    leaves = _input_leaves(func)
    read = sorted(
        n.value.id
        for n in ast.walk(func)
        if isinstance(n, ast.Attribute)
        and n.attr == "grad"
        and isinstance(n.value, ast.Name)
        and n.value.id in leaves
    )
    if not read:
        return None
    return (
        f"backward() in {func.name}() takes the gradient of its input {read[0]} "
        f"({read[0]}.grad, no optimizer step): it trains nothing and draws nothing"
    )


def _input_leaves(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    """Names bound to a tensor made a leaf that wants gradients: `x.requires_grad_(True)`,
    `torch.tensor(..., requires_grad=True)`."""
    out: set[str] = set()
    for node in ast.walk(func):
        if not isinstance(node, ast.Assign) or not _wants_grad(node.value):
            continue
        out |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return out


def _wants_grad(value: ast.expr) -> bool:
    for call in ast.walk(value):
        if not isinstance(call, ast.Call):
            continue
        if isinstance(call.func, ast.Attribute) and call.func.attr == "requires_grad_":
            return not call.args or _is_true(call.args[0])
        if any(k.arg == "requires_grad" and _is_true(k.value) for k in call.keywords):
            return True
    return False


def _is_true(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _trains(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function clears weight gradients or steps an optimizer: `opt.zero_grad()`,
    `opt.step()`, `opt.step(closure)`."""
    for node in ast.walk(func):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if node.func.attr == "zero_grad":
            return True
        if node.func.attr == "step" and not node.keywords and _steps_weights(node.args):
            return True
    return False


def _steps_weights(args: list[ast.expr]) -> bool:
    """`opt.step()` or `opt.step(closure)`; an attack's `step.step(x, grad)` moves the input."""
    return not args or (len(args) == 1 and isinstance(args[0], ast.Name | ast.Lambda))
