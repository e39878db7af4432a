"""Where a draw is and what it draws: the kinds of call the `unseeded-randomness` rule reads.

A `.sample` may be a DataFrame's rows, a torch distribution's sample shape or a generator's own
method; a data generator may make data or batch what it is given; an MCMC fit on fixed data
varies only by Monte Carlo error; a draw may be random on purpose (a simulation, a plot). These
readings tell the rule's entry point (`hygiene.py`) which seed a draw needs, if any.
"""

from __future__ import annotations

import ast

from team.review.catalog import words
from team.review.core import Note
from team.review.drawnames import only_names_a_file_reason
from team.review.figurepick import figure_pick_reason
from team.review.fullbatch import whole_batch_reason
from team.review.picturedemo import picture_demo_reason
from team.review.probeinput import probe_input_reason
from team.review.randomness import Usage, deliberate_draw_reason, only_plotted_reason
from team.review.shownonly import shown_only_reason
from team.review.simulation import simulation_reason
from team.review.sources import RepoIndex, SourceFile

__all__ = [
    "GENERATOR_CONSTRUCTORS",
    "JAX_ROOTS",
    "NP_NOT_DRAWS",
    "RANDOM_FUNCS",
    "few_rows",
    "generator",
    "in_model_map",
    "makes_data",
    "mcmc_call",
    "mcmc_on_fixed_data",
    "shape_sample",
    "torch_sample",
    "unless_deliberate",
]

_RULE = "unseeded-randomness"

JAX_ROOTS = words("jax haiku flax optax rlax")
RANDOM_FUNCS = words(
    "random randint choice choices shuffle sample uniform gauss randrange normalvariate "
    "betavariate expovariate triangular"
)
NP_NOT_DRAWS = words(
    "seed get_state set_state default_rng RandomState Generator SeedSequence PCG64 MT19937 "
    "Philox SFC64 BitGenerator"
)


# Libraries whose fits are Markov chain Monte Carlo: on fixed data an unseeded run changes only
# the Monte Carlo error, which their posterior summaries report (MCSE, R-hat).
_MCMC_ROOTS = words("bambi pymc pymc3 pystan stan cmdstanpy emcee")
# Kinds of draw that make a module's data random (the MCMC fit on them then matters).
_DATA_KINDS = frozenset({"numpy", "random", "generator", "data"})

GENERATOR_CONSTRUCTORS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
    }
)


def in_model_map(use: Usage, call: ast.Call) -> bool:
    """`model_map = {"SelectFromModel": SelectFromModel(RandomForestClassifier()), ...}` or
    `model_map[name] = Model()`, with `model_map` only ever looked up by key: a model in a map
    by name, which the code may look up and fit, or may not (auto_ml builds and fits a new
    forest on the path that names it). A dict handed to a call (`init_params={...}`) is used."""
    stmt, chain = use.holder(call)
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return False
    target = stmt.targets[0]
    if any(isinstance(node, ast.Dict) for node in chain) and stmt.value is chain[-1]:
        name = target.id if isinstance(target, ast.Name) else None
    elif stmt.value is call and isinstance(target, ast.Subscript):
        name = target.value.id if isinstance(target.value, ast.Name) else None
    else:
        return False
    loads = use.loads.get(name, []) if name else []
    return bool(loads) and all(
        isinstance(parent := use.up(load), ast.Subscript) and parent.value is load for load in loads
    )


def generator(src: SourceFile, repo: RepoIndex, use: Usage, value: ast.expr) -> bool:
    """`random.Random(12345).sample(...)`, or `rng.sample(...)` where `rng` was made so: a
    generator object (seeded or not, the generator rules read its making), not a DataFrame."""
    if isinstance(value, ast.Name):
        made = use.assigned.get(value.id, [])
        return bool(made) and all(generator(src, repo, use, v) for v in made)
    if not isinstance(value, ast.Call):
        return False
    qual = repo.qualify(src, value.func) or ""
    return qual in ("random.Random", "random.SystemRandom") or qual.startswith("numpy.random.")


def torch_sample(src: SourceFile, repo: RepoIndex, call: ast.Call) -> bool:
    """`dist.sample(torch.Size(...))` or `.sample(sample_shape=...)`: a torch distribution's
    sample (a torch seed fixes it), not `DataFrame.sample`."""
    if any(k.arg == "sample_shape" for k in call.keywords):
        return True
    first = call.args[0] if call.args else None
    return isinstance(first, ast.Call) and repo.qualify(src, first.func) == "torch.Size"


def shape_sample(use: Usage, call: ast.Call, seen: frozenset[str] = frozenset()) -> bool:
    """`prior.sample((1000,))`: a tuple of sizes (or `x.shape`) is a distribution's sample shape
    (torch, Pyro, sbi, TensorFlow Probability), which that framework's global seed fixes;
    `DataFrame.sample` takes a row count and `random.sample` a population. So is
    `sim.sample(theta)` where `theta` was drawn so: a draw conditioned on such a sample comes
    from the same framework. A name made from itself (`x = torch.flatten(x)`) is followed once
    (`seen`).

    Example:
        >>> code = "x = torch.flatten(x)\\nmu = model.mu(x)\\nmodel.sample(mu)"
        >>> tree = ast.parse(code)
        >>> shape_sample(Usage(tree), tree.body[2].value)
        False
    """
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Name):
        made = use.assigned.get(first.id, [])
        return (
            bool(made)
            and first.id not in seen
            and all(
                isinstance(v, ast.Call) and shape_sample(use, v, seen | {first.id}) for v in made
            )
        )
    return isinstance(first, ast.Tuple) or (
        isinstance(first, ast.Attribute) and first.attr == "shape"
    )


def makes_data(call: ast.Call) -> bool:
    """A generator given only settings (`RegressionGenerator(n_samples=40000)`), not data to
    wrap (`DataGenerator(x, y)` batches the arrays it is given)."""
    return all(isinstance(a, ast.Constant) for a in call.args)


def mcmc_call(src: SourceFile, repo: RepoIndex, use: Usage, call: ast.Call, qual: str) -> bool:
    """`pm.sample()`, or `model.fit()` where `model` was built by an MCMC library
    (`model = bmb.Model("y ~ x", data)`)."""
    if qual.split(".")[0] in _MCMC_ROOTS:
        return True
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return False
    made = use.assigned.get(func.value.id, [])
    return bool(made) and all(
        isinstance(m, ast.Call) and (repo.qualify(src, m.func) or "").split(".")[0] in _MCMC_ROOTS
        for m in made
    )


def mcmc_on_fixed_data(
    src: SourceFile, places: dict[str, list[tuple[int, str]]], notes: list[Note]
) -> None:
    """An unseeded MCMC fit (`bmb.Model(...).fit()`, `pm.sample()`) is reported with the
    library's other unseeded calls only when the module also draws its data unseeded; on fixed
    or seeded data only Monte Carlo error varies between runs, and the posterior summary
    reports it."""
    fits = places.pop("mcmc", [])
    if fits and any(kind in places for kind in _DATA_KINDS):
        places["library"] = sorted([*places.get("library", []), *fits])
        return
    why = "an MCMC fit on fixed data: only Monte Carlo error varies, which its summary reports"
    notes.extend(Note(src.rel, line, _RULE, f"{msg.split(':')[0]}: {why}") for line, msg in fits)


def unless_deliberate(
    use: Usage,
    call: ast.Call,
    src: SourceFile,
    msg: str,
    notes: list[Note],
    *,
    illustrative: bool = False,
) -> str | None:
    """msg, or None with a note when the draw is random on purpose. `illustrative`: a draw from
    a named distribution (`np.random.normal`), which may be drawn only to be plotted."""
    reason = (
        deliberate_draw_reason(use, call, src.tree)
        or simulation_reason(use, call, src.tree)
        or only_names_a_file_reason(use, call)
        or shown_only_reason(use, call, src)
        or whole_batch_reason(use, call)
        or picture_demo_reason(use, call, src.tree)
        or probe_input_reason(use, call, src)
    )
    if reason is None and illustrative:
        notebook = src.cells is not None
        reason = only_plotted_reason(use, call) or figure_pick_reason(use, call, notebook=notebook)
    if reason is None:
        return msg
    notes.append(Note(src.rel, call.lineno, _RULE, f"{msg.split(' with ')[0]}: {reason}"))
    return None


_FEW_ROWS = 10


def few_rows(call: ast.Call, kw: dict[str, ast.expr]) -> bool:
    """`house_df.sample(4)`: a handful of rows (at most ten) drawn as example inputs."""
    n = call.args[0] if call.args else kw.get("n")
    return (
        "frac" not in kw
        and isinstance(n, ast.Constant)
        and isinstance(n.value, int)
        and 0 < n.value <= _FEW_ROWS
    )
