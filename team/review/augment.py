"""A draw inside a data transform's `__call__`: the augmentation itself, not an unseeded experiment.

solo-learn's `GaussianBlur.__call__(self, img)` draws `sigma = random.uniform(*self.sigma)` and
blurs the image it is handed: a random radius per image is what the transform is for, like
torchvision's own random transforms, whose draws the training script seeds (or not) where it
builds the loaders. The draw is no result of its own, so it is noted, not reported. Narrow on
purpose: the method is a class's `__call__` that takes one input besides `self` and fits or
scores nothing itself.

A draw in a method of a package's data loader or dataset subclass is the same kind of draw
(`loader_sampling`): nnU-Net's `nnUNetDataLoader(DataLoader)` tosses a coin per sample for a
foreground patch and picks each crop at random, flair's `TextDataset(Dataset).__getitem__`
shuffles the lines of a training split. It is the loader's per-batch sampling, like
`DataLoader(shuffle=True)`: the trainer that iterates the loader owns the seed, and its loop is
where an unseeded run is reported. Only in a package's module (library code; `hygiene` asks it
there): a script's own helper class stays its script's draw. The class must extend a framework's
loader or dataset directly (torch's `Dataset`/`IterableDataset`/`DataLoader`/`Sampler`, batchgenerators'
`DataLoader`, Keras' `Sequence`); a draw in its `__init__` (which may decide a split once), in a
method that fits or scores, or in a class that takes a seed stays reported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from team.review.libloop import dropped_seed
from team.review.randomness import Usage, enclosing_function
from team.review.unreached import learns_or_scores

__all__ = ["augmentation_draw", "loader_sampling"]

_LOADER_BASES = frozenset(
    {
        "torch.utils.data.Dataset",
        "torch.utils.data.IterableDataset",
        "torch.utils.data.DataLoader",
        "torch.utils.data.Sampler",
        "torch.utils.data.dataset.Dataset",
        "torch.utils.data.dataset.IterableDataset",
        "batchgenerators.dataloading.data_loader.DataLoader",
        "keras.utils.Sequence",
        "tensorflow.keras.utils.Sequence",
    }
)


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


def loader_sampling(
    use: Usage, call: ast.Call, qualify: Callable[[ast.AST], str | None]
) -> str | None:
    """`nnUNetDataLoader._probabilistic_oversampling` when `call` draws in a method (not
    `__init__`) of a class that extends a framework's loader or dataset, fits and scores
    nothing, and takes no seed; else None. `qualify`: the import-resolved name of a base."""
    func = enclosing_function(use, call)
    cls = use.up(func) if func is not None else None
    if (
        func is None
        or not isinstance(cls, ast.ClassDef)
        or func.name == "__init__"
        or not any(qualify(base) in _LOADER_BASES for base in cls.bases)
        or any(learns_or_scores(node) for node in ast.walk(func))
        or dropped_seed(use, call) is not None
    ):
        return None
    return f"{cls.name}.{func.name}"
