"""ML review round 39: what real code hides from the review, by family.

Family 1, a search scored on the test environment: FinRL's `TuneSB3Optuna` documents
`env_trade` as its "testing environment", scores every Optuna trial by a backtest on
`self.env_trade` (`study.optimize(self.objective)`) and then reports the best trial's backtest
on the same `self.env_trade`. The objective is a method and the data an instance attribute, so
the existing check of search objectives, which reads module functions and test-named variables,
did not see it. Reported where another method reports the best trial on the same data; scoring
on a validation environment, or never reporting the best trial on the test data, stays silent.

Family 2, a library module of a package that ships a seeding helper: RLCard's DQN and NFSP
agents draw from numpy's, `random`'s and torch's global generators in their methods, and the
package defines `rlcard.utils.set_seed(seed)`, which seeds all three, for whoever runs them. A
review of `rlcard/agents` reported each agent's draws as unseeded. The draws are now noted, not
reported; a package with no such helper, a helper that lives in an example, and an agent that a
script of the folder runs (under a `__main__` guard, never calling the helper) stay reported.

Family 3, evaluation on an input built from the training files: BERT's `run_pretraining.py`
builds its training and its evaluation input functions with `input_fn_builder(input_files=
input_files, ...)`, differing only in `is_training`, and writes the evaluation's accuracies to
`eval_results.txt`. Reported as `eval-on-train`; input functions built from a training file and
an evaluation file stay silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path, review_report
from tests.helpers import write_app

TUNING = "test-set-tuning"
UNSEEDED = "unseeded-randomness"
EVAL_ON_TRAIN = "eval-on-train"

TUNER = """\
    import optuna

    from agents import Agent, backtest_stats


    class Tuner:
        \"\"\"Hyperparameter tuning with Optuna.

        Attributes:
          env_train: training environment
          env_trade: testing environment
        \"\"\"

        def __init__(self, env_train, env_trade, env_test):
            self.env_train = env_train
            self.env_trade = env_trade
            self.env_test = env_test
            self.agent = Agent(env_train)

        def sharpe(self, account):
            returns = account.pct_change(1)
            return returns.mean() / returns.std()

        def objective(self, trial):
            model = self.agent.train(lr=trial.suggest_float("lr", 1e-5, 1e-2))
            account, _ = Agent.predict(model=model, environment=self.SCORED)
            score = self.sharpe(account)
            return score

        def run(self):
            study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=0))
            study.optimize(self.objective, n_trials=30)
            return study

        def backtest(self, study):
            model = self.agent.load(study.best_trial.number)
            account, _ = Agent.predict(model=model, environment=self.REPORTED)
            print(backtest_stats(account))
"""


def _tuning(tmp_path: Path, source: str) -> list[tuple[int, str]]:
    folder = write_app(tmp_path, {"tune.py": source})
    return [(f.line, f.message) for f in review_path(folder) if f.rule == TUNING]


def _tuner(scored: str, reported: str) -> str:
    return TUNER.replace("SCORED", scored).replace("REPORTED", reported)


def test_a_search_scored_on_the_documented_test_environment_is_reported(tmp_path: Path) -> None:
    found = _tuning(tmp_path, _tuner("env_trade", "env_trade"))
    assert [line for line, _ in found] == [28]
    assert 'self.env_trade, documented as "testing environment"' in found[0][1]
    assert "backtest() then reports the best trial" in found[0][1]


def test_a_search_scored_on_a_test_named_attribute_is_reported(tmp_path: Path) -> None:
    source = _tuner("env_test", "env_test").replace("env_trade: testing", "env_trade: trading")
    found = _tuning(tmp_path, source)
    assert [line for line, _ in found] == [28]
    assert "self.env_test, named for the test split" in found[0][1]


def test_a_search_scored_on_the_training_environment_is_not_reported(tmp_path: Path) -> None:
    assert _tuning(tmp_path, _tuner("env_train", "env_trade")) == []


def test_a_best_trial_reported_on_other_data_is_not_reported(tmp_path: Path) -> None:
    assert _tuning(tmp_path, _tuner("env_trade", "env_train")) == []


def test_an_undocumented_attribute_is_not_read_as_test_data(tmp_path: Path) -> None:
    source = _tuner("env_trade", "env_trade").replace("env_trade: testing", "env_trade: trading")
    assert _tuning(tmp_path, source) == []


SET_SEED = """\
    import random

    import numpy as np
    import torch


    def set_seed(seed):
        torch.manual_seed(seed)
        np.random.seed(seed)
        random.seed(seed)
"""

AGENT = """\
    import collections
    import random

    import numpy as np
    import torch

    Transition = collections.namedtuple("Transition", "state action")


    class Agent:
        def __init__(self, num_actions):
            self.num_actions = num_actions
            self.memory = []
            self.net = torch.nn.Linear(8, num_actions)
            self.optimizer = torch.optim.Adam(self.net.parameters())

        def step(self, state):
            return np.random.choice(self.num_actions)

        def train(self):
            batch = random.sample(self.memory, 32)
            loss = self.net(torch.tensor(batch)).sum()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()
"""


TRAIN_SCRIPT = """\
    import numpy as np

    from pkg.agents.agent import Agent


    def main():
        agent = Agent(4)
        agent.train()
        print(agent.step(np.zeros(8)))


    if __name__ == "__main__":
        main()
"""


# RLCard's `dmc_agent/utils.py` seeds each environment it makes, so the folder is not one that
# seeds nothing (where a bare draw in a method is already left to the caller).
ENVS = """\
    def make(env, i):
        env.seed(i)
        return env
"""


def _agents(tmp_path: Path, helper_at: str | None, extra: dict[str, str] | None = None) -> str:
    """The reviewed folder `pkg/agents` of a package with its seeding helper at `helper_at`."""
    files = {"setup.py": "", "pkg/__init__.py": "", "pkg/agents/__init__.py": ""}
    files["pkg/agents/agent.py"] = AGENT
    files["pkg/agents/envs.py"] = ENVS
    if helper_at is not None:
        files[helper_at] = SET_SEED
    write_app(tmp_path, {**files, **(extra or {})})
    return str(tmp_path / "pkg" / "agents")


def _unseeded(folder: str) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in review_path(folder) if f.rule == UNSEEDED]


def test_a_library_agent_of_a_package_with_a_seeding_helper_is_not_reported(
    tmp_path: Path,
) -> None:
    folder = _agents(tmp_path, "pkg/utils/seeding.py", {"pkg/utils/__init__.py": ""})
    assert _unseeded(folder) == []
    notes = review_report(folder).notes
    assert any(
        n.path == "agent.py" and "ships set_seed() to seed the global generators" in n.text
        for n in notes
    )


def test_a_library_agent_of_a_package_without_a_helper_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(_agents(tmp_path, None)) == [("agent.py", 21), ("agent.py", 24)]


def test_a_helper_in_an_example_is_not_the_package_s(tmp_path: Path) -> None:
    folder = _agents(tmp_path, "pkg/examples/util.py", {"pkg/examples/__init__.py": ""})
    assert _unseeded(folder) == [("agent.py", 21), ("agent.py", 24)]


def _edited_agent(tmp_path: Path, old: str, new: str) -> list[tuple[str, int]]:
    """The findings on the agent with `old` replaced by `new`, in a package with a helper."""
    helper = {"pkg/utils/__init__.py": "", "pkg/utils/seeding.py": SET_SEED}
    folder = _agents(tmp_path, None, {**helper, "pkg/agents/agent.py": AGENT.replace(old, new)})
    return _unseeded(folder)


def test_a_generator_the_library_builds_itself_stays_reported(tmp_path: Path) -> None:
    found = _edited_agent(
        tmp_path, "np.random.choice(self.num_actions)", "np.random.default_rng().integers(4)"
    )
    assert ("agent.py", 18) in found


def test_a_class_that_takes_its_caller_s_seed_stays_reported(tmp_path: Path) -> None:
    found = _edited_agent(tmp_path, "(self, num_actions):", "(self, num_actions, seed=0):")
    assert ("agent.py", 24) in found


def test_an_agent_a_script_of_the_folder_runs_unseeded_stays_reported(tmp_path: Path) -> None:
    folder = _agents(
        tmp_path,
        "pkg/utils/seeding.py",
        {"pkg/utils/__init__.py": "", "pkg/agents/train.py": TRAIN_SCRIPT},
    )
    assert ("agent.py", 24) in _unseeded(folder)


PRETRAINING = """\
    import tensorflow as tf

    from bert import input_fn_builder, model_fn_builder


    def main(flags):
        input_files = tf.io.gfile.glob(flags.input_file)
        estimator = tf.estimator.Estimator(model_fn=model_fn_builder(flags))
        train_input_fn = input_fn_builder(input_files=input_files, is_training=True)
        estimator.train(input_fn=train_input_fn, max_steps=flags.num_train_steps)
        eval_input_fn = input_fn_builder(input_files=EVAL_FILES, is_training=False)
        result = estimator.evaluate(input_fn=eval_input_fn, steps=100)
        with open("eval_results.txt", "w") as writer:
            for key in sorted(result):
                writer.write(f"{key} = {result[key]}\\n")
"""


def _eval_on_train(tmp_path: Path, eval_files: str) -> list[tuple[int, str]]:
    folder = write_app(
        tmp_path, {"run_pretraining.py": PRETRAINING.replace("EVAL_FILES", eval_files)}
    )
    return [(f.line, f.message) for f in review_path(folder) if f.rule == EVAL_ON_TRAIN]


def test_an_evaluation_input_built_from_the_training_files_is_reported(tmp_path: Path) -> None:
    found = _eval_on_train(tmp_path, "input_files")
    assert [line for line, _ in found] == [12]
    assert "built by input_fn_builder() from input_files=input_files" in found[0][1]


def test_an_evaluation_input_built_from_other_files_is_not_reported(tmp_path: Path) -> None:
    assert _eval_on_train(tmp_path, "tf.io.gfile.glob(flags.eval_file)") == []
