"""A draw inside a data transform's `__call__`: the augmentation itself, not an unseeded experiment.

solo-learn's `GaussianBlur.__call__(self, img)` draws `sigma = random.uniform(*self.sigma)` and
blurs the image it is handed: a random radius per image is what the transform is for, like
torchvision's own random transforms, whose draws the training script seeds (or not) where it
builds the loaders. The draw is no result of its own, so it is noted, not reported. Narrow on
purpose: the method is a class's `__call__` that takes one input besides `self` and fits or
scores nothing itself.
"""

from __future__ import annotations

import ast

from team.review.randomness import Usage, enclosing_function
from team.review.unreached import learns_or_scores

__all__ = ["augmentation_draw"]


def augmentation_draw(use: Usage, call: ast.Call) -> str | None:
    """`GaussianBlur.__call__` when `call` draws inside a transform's `__call__(self, img)`
    that fits and scores nothing; else None."""
    func = enclosing_function(use, call)
    if func is None or func.name != "__call__":
        return None
    cls = use.up(func)
    args = func.args
    if (
        not isinstance(cls, ast.ClassDef)
        or len([*args.posonlyargs, *args.args]) != 2
        or args.vararg
        or args.kwonlyargs
        or any(learns_or_scores(node) for node in ast.walk(func))
    ):
        return None
    return f"{cls.name}.__call__"
