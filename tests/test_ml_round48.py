"""ML review round 48: real code that nobody here wrote, by family.

Family 1, a setting picked by the best test score and then scored on the same test split (recall):
dldemos' and dldemo's Q4 threshold one neuron's test probabilities at each of
`np.arange(0.10, 1.00, 0.05)`, append `accuracy_score(y_test, predictions)`, keep
`thresholds[np.argmax(accuracies)]` and print accuracy, precision and recall on `y_test` at that
threshold: the threshold is tuned on the rows its metrics are reported on. A loop that fits
nothing is `test-set-tuning` when the best score's index takes a candidate from the loop's
sequence and the test split is then scored again; a best value only printed, a choice on a
validation split, or a chosen threshold never scored on the test split stays silent.

Family 2, a batch draw that takes every row with the default arguments (precision): pykan's
`MLP.fit(batch=-1)` binds `batch_size` to the number of rows when `batch == -1` and draws
`np.random.choice(n, batch_size, replace=False)` each step, only to index the data: a permutation
of a full batch, whose mean loss does not depend on it. A smaller default batch, a draw whose
indices are used as numbers, or one with replacement stays reported.

Family 3, a call of a repository sampler whose own draw is reported where it is made (precision):
the Autonomous Learning Library's DQN, DDQN, DDPG and SAC agents call
`self.replay_buffer.sample(...)`; `ExperienceReplayBuffer.sample` draws with `np.random.choice` in a
module that seeds nothing and is reported there, and each agent's call was reported again as an
unseeded `DataFrame.sample`. Such a call is silent in a module that seeds nothing; an agent that
seeds something of its own, a sampler whose module seeds NumPy, and a receiver that is not an
attribute of `self` stay reported.

Family 4, a script that only shows episodes on screen (precision): the Autonomous Learning
Library's `scripts/watch_multiagent_atari.py` makes its environment with `render_mode="human"`,
loads a saved agent and plays episodes forever, printing only a reload warning in an `except`
handler; its unseeded `env.reset()` was reported. Such a module is silent when it trains, scores,
logs and saves nothing and prints only in an error handler; a watcher that prints (evotorch's MPC
notebook prints each episode's distance to the goal, judged true), or trains, stays reported.

Family 5, a `__main__` demo whose only output is a picture (precision): Baal's
`utils/plot_utils.py` draws random "labelled at" steps with `np.random.randint` in its `__main__`
block, hands them to the module's plotting function and writes the frames to a GIF with
`imageio.mimsave`; the draw was reported. Such a draw is silent when the block and the module
functions it calls train, score, print and save nothing else and call no library but plotting,
image and array ones; a demo that prints a number or runs a model stays reported.

Family 6, a model scored on a whole truth table (precision): dlprac's exercise fits a
single-layer perceptron on the four rows of the XOR truth table and prints its accuracy on them,
to show it cannot represent XOR; it was reported as eval-on-train. Rows that are every input of
the function leave nothing to hold out: a name last bound to a literal array holding all 2**k 0/1
rows is silent; part of a truth table or other literal rows stay reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

THRESHOLDS = """\
import numpy as np
from sklearn.metrics import accuracy_score, precision_score
from sklearn.model_selection import train_test_split

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
probability = score(X_test)
thresholds = np.arange(0.10, 1.00, 0.05)
accuracies = []
for threshold in thresholds:
    predictions = (probability >= threshold).astype(int)
    accuracies.append(accuracy_score({held}, predictions))
best_index = {best}
best_threshold = thresholds[best_index]
final = (probability >= best_threshold).astype(int)
{report}
"""

REPORTED = (
    'print("Accuracy:", accuracy_score(y_test, final))\nprint(precision_score(y_test, final))'
)


def _tuning(tmp_path: Path, held: str, best: str, report: str) -> list[int]:
    code = THRESHOLDS.format(held=held, best=best, report=report)
    write_app(tmp_path, {"threshold.py": code})
    return [f.line for f in review_path(tmp_path) if f.rule == "test-set-tuning"]


def test_a_threshold_picked_by_test_accuracy_and_reported_on_it_is_tuning(tmp_path: Path) -> None:
    assert _tuning(tmp_path, "y_test", "np.argmax(accuracies)", REPORTED) == [12]


def test_an_index_wrapped_in_int_picks_the_candidate_too(tmp_path: Path) -> None:
    assert _tuning(tmp_path, "y_test", "int(np.argmax(accuracies))", REPORTED) == [12]


def test_a_threshold_picked_on_a_validation_split_is_silent(tmp_path: Path) -> None:
    assert _tuning(tmp_path, "y_val", "np.argmax(accuracies)", REPORTED) == []


def test_a_best_test_threshold_only_printed_is_silent(tmp_path: Path) -> None:
    assert _tuning(tmp_path, "y_test", "np.argmax(accuracies)", "print(best_threshold)") == []


def test_a_best_index_that_picks_no_candidate_is_silent(tmp_path: Path) -> None:
    code = THRESHOLDS.format(held="y_test", best="np.argmax(accuracies)", report=REPORTED)
    code = code.replace("thresholds[best_index]", "0.5")
    write_app(tmp_path, {"threshold.py": code})
    assert [f for f in review_path(tmp_path) if f.rule == "test-set-tuning"] == []


FIT = """\
import numpy as np
import torch

torch.manual_seed(0)


class MLP(torch.nn.Module):
    def fit(self, dataset, steps=100, batch={default}):
        if batch == -1 or batch > dataset["train_input"].shape[0]:
            batch_size = dataset["train_input"].shape[0]
        else:
            batch_size = batch
        for _ in range(steps):
            train_id = np.random.choice(dataset["train_input"].shape[0], batch_size, replace={r})
            pred = self.forward(dataset["train_input"][train_id])
            loss = ((pred - dataset["train_label"][{use}]) ** 2).mean()
            loss.backward()
"""


def _unseeded(tmp_path: Path, default: str, replace: str = "False", use: str = "train_id") -> list:
    write_app(tmp_path, {"mlp.py": FIT.format(default=default, r=replace, use=use)})
    return [f.line for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]


def test_a_default_full_batch_permutation_is_not_unseeded(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, "-1") == []


def test_a_smaller_default_batch_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, "32") == [14]


def test_a_draw_with_replacement_stays_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, "-1", replace="True") == [14]


def test_indices_read_as_numbers_stay_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, "-1", use="train_id[0] + train_id") == [14]


BUFFER = """\
import numpy as np
import torch


class ReplayBuffer:
    def sample(self, batch_size):
        keys = np.random.choice(len(self.buffer), batch_size)
        return [self.buffer[k] for k in keys]
"""

AGENT = """\
import numpy as np
import torch
import pandas as pd
from rl.memory import ReplayBuffer
{seed}

class DQN:
    def __init__(self):
        self.replay_buffer = ReplayBuffer()

    def train(self):
        batch = {receiver}.sample(self.minibatch_size)
        return self.q.reinforce(batch)
"""


RUN = """\
from rl.dqn import DQN

if __name__ == "__main__":
    print(DQN().train())
"""


def _agent_findings(
    tmp_path: Path, *, seed: str = "", receiver: str = "self.replay_buffer", buffer: str = BUFFER
) -> list[tuple[str, int]]:
    files = {
        "rl/__init__.py": "",
        "rl/memory.py": buffer,
        "rl/dqn.py": AGENT.format(seed=seed, receiver=receiver),
        "rl/scripts/train.py": RUN,
    }
    write_app(tmp_path, files)
    found = review_path(tmp_path / "rl")
    return sorted((f.path, f.line) for f in found if f.rule == "unseeded-randomness")


def test_a_call_of_a_repository_sampler_is_reported_once_at_its_draw(tmp_path: Path) -> None:
    assert _agent_findings(tmp_path) == [("memory.py", 7)]


def test_an_agent_that_seeds_something_keeps_its_sample_call(tmp_path: Path) -> None:
    found = _agent_findings(tmp_path, seed="import tensorflow as tf\ntf.random.set_seed(0)")
    assert found == [("dqn.py", 13), ("memory.py", 7)]


def test_a_sampler_whose_module_seeds_numpy_leaves_the_call_reported(tmp_path: Path) -> None:
    seeded = BUFFER.replace("import numpy as np\n", "import numpy as np\n\nnp.random.seed(0)\n")
    assert _agent_findings(tmp_path, buffer=seeded) == [("dqn.py", 12)]


def test_a_sample_on_a_local_frame_stays_reported(tmp_path: Path) -> None:
    found = _agent_findings(tmp_path, receiver="pd.DataFrame(self.rows)")
    assert found == [("dqn.py", 12), ("memory.py", 7)]


WATCH = """\
import argparse

import gymnasium as gym
import numpy as np
import torch


def watch(env, agent):
    while True:
        obs, _ = env.reset()
        done = False
        total = 0.0
        while not done:
            env.render()
            explore = np.random.rand() < 0.05
            action = env.action_space.sample() if explore else agent.act(obs)
            obs, reward, done, _, _ = env.step(action)
            total += reward
        {shown}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("filename")
    args = parser.parse_args()
    env = gym.make("CartPole-v1", render_mode="{mode}")
    watch(env, torch.load(args.filename))
"""


def _watch_findings(tmp_path: Path, *, shown: str = "pass", mode: str = "human"):
    write_app(tmp_path, {"watch.py": WATCH.format(shown=shown, mode=mode)})
    return [f.line for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]


def test_a_script_that_only_renders_episodes_is_not_unseeded(tmp_path: Path) -> None:
    assert _watch_findings(tmp_path) == []


def test_a_watcher_that_prints_the_return_stays_reported(tmp_path: Path) -> None:
    assert _watch_findings(tmp_path, shown="print('return', total)") == [15]


def test_an_environment_not_rendered_for_a_person_stays_reported(tmp_path: Path) -> None:
    assert _watch_findings(tmp_path, mode="rgb_array") == [15]


DEMO = """\
import imageio
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.svm import SVC


def frames_of(X, steps):
    fig, ax = plt.subplots()
    ax.scatter(X[:, 0], X[:, 1], c=steps)
    fig.canvas.draw()
    return [np.asarray(fig.canvas.buffer_rgba())]


if __name__ == "__main__":
    X, y = make_classification(n_features=2, n_redundant=0, random_state=1)
    steps = np.random.randint(0, 100, size=[X.shape[0]])
    {more}
    imageio.mimsave("output.gif", frames_of(X, steps), fps=3)
"""


def _demo_findings(tmp_path: Path, more: str = "pass") -> list[int]:
    write_app(tmp_path, {"plots.py": DEMO.format(more=more)})
    return [f.line for f in review_path(tmp_path) if f.rule == "unseeded-randomness"]


def test_a_main_demo_that_only_writes_a_picture_is_not_unseeded(tmp_path: Path) -> None:
    assert _demo_findings(tmp_path) == []


def test_a_main_demo_that_prints_a_number_stays_reported(tmp_path: Path) -> None:
    assert _demo_findings(tmp_path, more="print(steps.mean())") == [17]


def test_a_main_demo_that_runs_a_model_stays_reported(tmp_path: Path) -> None:
    assert _demo_findings(tmp_path, more="SVC().fit(X, steps > 50)") == [17]


GATE = """\
import numpy as np
from tensorflow.keras.layers import Dense
from tensorflow.keras.models import Sequential

np.random.seed(0)
X = np.array({rows}, dtype=np.float32)
y = np.array([[0], [1], [1], [0]][: len(X)], dtype=np.float32)
model = Sequential([Dense(1, input_dim=2, activation="sigmoid")])
model.compile(optimizer="sgd", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=500, verbose=0)
loss, accuracy = model.evaluate(X, y, verbose=0)
print(f"Model Accuracy: {{accuracy * 100:.2f}}%")
"""


def _gate_findings(tmp_path: Path, rows: str) -> list[int]:
    write_app(tmp_path, {"gate.py": GATE.format(rows=rows)})
    return [f.line for f in review_path(tmp_path) if f.rule == "eval-on-train"]


def test_a_model_scored_on_a_whole_truth_table_is_not_eval_on_train(tmp_path: Path) -> None:
    assert _gate_findings(tmp_path, "[[0, 0], [0, 1], [1, 0], [1, 1]]") == []


def test_part_of_a_truth_table_stays_reported(tmp_path: Path) -> None:
    assert _gate_findings(tmp_path, "[[0, 0], [0, 1], [1, 0]]") == [11]


def test_other_literal_rows_stay_reported(tmp_path: Path) -> None:
    assert _gate_findings(tmp_path, "[[0, 2], [0, 1], [1, 0], [1, 1]]") == [11]
