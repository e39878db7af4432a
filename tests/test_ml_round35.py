"""ML review round 35: false alarms of real code, by family.

Family 1, samplers that library code hands out: TabPFN's prior samplers are lambdas bound at
the top of a module (`beta_sampler_f = lambda a, b: lambda: np.random.beta(a, b)`) or functions
returning a sampler (`class_sampler_f` returning its inner `s`), and Baselines'
`normc_initializer` returns the initialiser that draws. Randomness is what the returned function
is for; it draws when its caller calls it, and the caller seeds. A draw a library function makes
itself, and a draw in a script, stay reported.

Family 2, each root cause once: a subclass inheriting an unseeded training run (below).
Family 3, code nothing reaches and a draw that only names a folder (below).
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path, review_report
from tests.helpers import write_app

RULE = "unseeded-randomness"

SAMPLERS = """\
    import numpy as np
    import torch

    beta_sampler_f = lambda a, b: lambda: np.random.beta(a, b)
    scaled_beta_sampler_f = lambda a, s: lambda: s * beta_sampler_f(a, a)()
"""

CLASSES = """\
    import random

    import torch


    def class_sampler_f(min_, max_):
        def s():
            if random.random() > 0.5:
                return random.randint(min_, max_)
            return 2

        return s


    def get_weighted_single_eval_pos_sampler(max_len):
        return lambda: random.choices(range(max_len), [1 / (max_len - i) for i in range(max_len)])[0]
"""

TRAIN = """\
    import torch

    from prior.classes import class_sampler_f, get_weighted_single_eval_pos_sampler
    from prior.samplers import scaled_beta_sampler_f


    def train(steps):
        position = get_weighted_single_eval_pos_sampler(10)
        model = torch.nn.Linear(3, class_sampler_f(2, 10)())
        opt = torch.optim.SGD(model.parameters(), lr=scaled_beta_sampler_f(2, 1)())
        for _ in range(steps):
            opt.zero_grad()
            loss = model(torch.ones(position() + 1, 3)).sum()
            loss.backward()
            opt.step()
        return model


    if __name__ == "__main__":
        train(10)
"""


def _prior(tmp_path: Path, **changed: str) -> list[str]:
    files = {
        "prior/__init__.py": "",
        "prior/samplers.py": SAMPLERS,
        "prior/classes.py": CLASSES,
        "train.py": TRAIN,
    }
    files.update(changed)
    folder = write_app(tmp_path, files)
    return sorted(f"{f.path}:{f.line}" for f in review_path(folder) if f.rule == RULE)


def _notes(folder: Path) -> dict[tuple[str, int], str]:
    """(path, line) -> why the rule chose not to report there, as `--explain` shows it."""
    return {(n.path, n.line): n.text for n in review_report(folder).notes if n.rule == RULE}


def test_samplers_a_library_hands_out_are_their_callers_to_seed(tmp_path: Path) -> None:
    """Only the script's unseeded training loop is reported: the root cause, once."""
    assert _prior(tmp_path) == ["train.py:14"]


def test_a_draw_a_library_function_makes_itself_stays_reported(tmp_path: Path) -> None:
    causes = CLASSES + (
        "\n\n    def causes_sampler_f(num_causes):\n"
        "        means = random.gauss(0, 1)\n"
        "        return means, abs(means)\n"
    )
    train = TRAIN.replace(
        "from prior.classes import class_sampler_f,",
        "from prior.classes import causes_sampler_f, class_sampler_f,",
    ).replace("for _ in range(steps):", "for _ in range(steps + int(causes_sampler_f(3)[0])):")
    found = _prior(tmp_path, **{"prior/classes.py": causes, "train.py": train})
    assert found == ["prior/classes.py:20", "train.py:14"]


def test_a_draw_in_a_script_stays_reported(tmp_path: Path) -> None:
    script = (
        "import numpy as np\nfrom sklearn.linear_model import LogisticRegression\n\n"
        "X = np.random.rand(20, 3)\ny = X[:, 0] > 0.5\n"
        "print(LogisticRegression().fit(X, y).score(X, y))\n"
    )
    assert _prior(tmp_path, **{"prior/run.py": script}) == ["prior/run.py:4", "train.py:14"]


def test_explain_names_the_function_that_hands_out_the_sampler(tmp_path: Path) -> None:
    _prior(tmp_path)
    assert _notes(tmp_path)[("prior/samplers.py", 4)] == (
        "np.random.beta with no np.random.seed in this module: a draw in the sampler that "
        "beta_sampler_f() returns, library code: whoever calls the sampler seeds numpy's "
        "global generator"
    )


# Family 3, code nothing reaches and draws that only name something: a function in a block
# marked unused that nothing calls (TabPFN's `mlp_acc` under `LEGACY UNUSED`), and a random
# temporary folder name (`temp_dir = os.path.join(temp_dir, "temp_" + rand_int)`).

BASELINES = """\
    import os
    import random

    import torch
    from sklearn.linear_model import LogisticRegression


    def logistic_metric(x, y, test_x, test_y, temp_dir):
        rand_int = str(random.randint(1, 1000))
        temp_dir = os.path.join(temp_dir, "temp_" + rand_int)
        model = LogisticRegression(random_state=0).fit(x, y)
        return model.score(test_x, test_y), temp_dir


    clf_dict = {"logistic": logistic_metric}

    \"\"\"
    LEGACY UNUSED
    \"\"\"


    def mlp_acc(x, y, epochs):
        model = torch.nn.Linear(x.shape[1], 2)
        opt = torch.optim.Adam(model.parameters())
        for _ in range(epochs):
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
        return model
"""


def _baselines(tmp_path: Path, text: str = BASELINES) -> list[str]:
    run = "from scripts.baselines import clf_dict\n\nprint(sorted(clf_dict))\n"
    files = {"scripts/__init__.py": "", "scripts/baselines.py": text, "run.py": run}
    folder = write_app(tmp_path, files)
    return [f"{f.path}:{f.line}" for f in review_path(folder) if f.rule == RULE]


def test_a_random_folder_name_and_a_function_marked_unused_are_not_reported(
    tmp_path: Path,
) -> None:
    assert _baselines(tmp_path) == []


def test_a_function_marked_unused_that_something_calls_stays_reported(tmp_path: Path) -> None:
    called = BASELINES + "\n\n    print(mlp_acc(torch.ones(4, 3), torch.zeros(4).long(), 3))\n"
    assert _baselines(tmp_path, called) == ["scripts/baselines.py:28"]


def test_a_draw_that_reaches_more_than_a_path_stays_reported(tmp_path: Path) -> None:
    used = BASELINES.replace(
        "model = LogisticRegression(random_state=0).fit(x, y)",
        "model = LogisticRegression(random_state=0).fit(x[: int(rand_int)], y[: int(rand_int)])",
    )
    assert _baselines(tmp_path, used) == ["scripts/baselines.py:9"]


# Family 2, one root cause once: nnU-Net's base trainer runs the fold unseeded; a subclass that
# only overrides train_step inherits that run, so its loop is the same missing seed.

BASE_TRAINER = """\
    import torch

    try:
        from torch._dynamo import OptimizedModule
    except ImportError:
        OptimizedModule = None


    class Trainer:
        def __init__(self, epochs):
            self.network = torch.nn.Linear(3, 1)
            self.optimizer = torch.optim.SGD(self.network.parameters(), lr=0.1)
            self.epochs = epochs

        def train_step(self, batch):
            self.optimizer.zero_grad()
            loss = self.network(batch).pow(2).mean()
            loss.backward()
            self.optimizer.step()
            return loss.item()

        def run_training(self, batches):
            return [self.train_step(b) for _ in range(self.epochs) for b in batches]
"""

SUBCLASS = """\
    import torch

    from trainers.base import Trainer

    try:
        from torch._dynamo import OptimizedModule
    except ImportError:
        OptimizedModule = None


    class Warmup(Trainer):
        pass


    class Clipped(Warmup):
        def build_network(self):
            self.network = torch.nn.Linear(3, 1)

        def train_step(self, batch):
            self.optimizer.zero_grad()
            loss = self.network(batch).pow(2).mean()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.network.parameters(), 1)
            self.optimizer.step()
            return loss.item()
"""

RUN = """\
    import torch

    from trainers.clipped import Clipped
    from trainers.base import Trainer

    for trainer in (Trainer(3), Clipped(3)):
        print(trainer.run_training([torch.ones(2, 3)]))
"""


def _trainers(tmp_path: Path, subclass: str = SUBCLASS) -> list[str]:
    files = {
        "trainers/__init__.py": "",
        "trainers/base.py": BASE_TRAINER,
        "trainers/clipped.py": subclass,
        "run.py": RUN,
    }
    folder = write_app(tmp_path, files)
    return sorted(f"{f.path}:{f.line}" for f in review_path(folder) if f.rule == RULE)


def test_a_subclass_that_inherits_an_unseeded_run_is_reported_once_at_the_base(
    tmp_path: Path,
) -> None:
    assert _trainers(tmp_path) == ["trainers/base.py:18"]


def test_a_trainer_that_inherits_from_no_reported_class_stays_reported(tmp_path: Path) -> None:
    own = SUBCLASS.replace("class Warmup(Trainer):", "class Warmup:")
    assert _trainers(tmp_path, own) == ["trainers/base.py:18", "trainers/clipped.py:22"]


def test_explain_names_the_base_whose_finding_covers_the_subclass(tmp_path: Path) -> None:
    _trainers(tmp_path)
    assert _notes(tmp_path)[("trainers/clipped.py", 22)] == (
        "Clipped inherits its training run from Trainer, whose missing seed is reported at "
        "trainers/base.py:18"
    )
