"""ML review round 39: what real code hides from the review, by family.

Family 1, a search scored on the test environment: FinRL's `TuneSB3Optuna` documents
`env_trade` as its "testing environment", scores every Optuna trial by a backtest on
`self.env_trade` (`study.optimize(self.objective)`) and then reports the best trial's backtest
on the same `self.env_trade`. The objective is a method and the data an instance attribute, so
the existing check of search objectives, which reads module functions and test-named variables,
did not see it. Reported where another method reports the best trial on the same data; scoring
on a validation environment, or never reporting the best trial on the test data, stays silent.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

TUNING = "test-set-tuning"

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
