"""ML review round 36: false alarms of real code, by family.

Family 1, time order: Auto_ViML turns a date column that a parameter names into calendar
features (`dtf[ts_column] = pd.to_datetime(dtf[ts_column])`) of any frame a user passes, then
makes random hold-outs of those generic tabular rows; and its quick ensemble thins the training
rows for speed (`X_train = X_train.sample(frac=0.30)`). Neither is a random split of rows ordered
by time. A date column the script itself names and parses, rows sorted or indexed by a date, and
a sample that makes the train/test boundary of such rows stay reported.

Family 2, branches no caller takes: Auto_ViML's `add_poly_vars_select` scales its data with
the data's own statistics only for `scaling="Standard"`, `"MinMax"` or `"Centering"`; both of
its callers, the one for train and the one for test, pass `scaling="None"`. A branch chosen by
comparing a parameter with a string is not run when the value passed (or the default) is
another string. A branch a caller does choose stays reported.

Family 3, a library training step whose runner seeds torch first: DeepRobust's
`netmodels/CNN.py` defines `train(model, device, loader, optimizer, epoch)`, and its runner
`train_model.train` calls `torch.manual_seed(seed)`, then imports the chosen module inside a
branch (`import ...CNN as MODEL`) and calls `MODEL.train(...)`. The layers' initial weights are
torch's draws, so that seed fixes them; `model.train()` inside the step is torch's switch to
training mode, no call of it. A runner that seeds nothing, or only numpy, and a call from the
module's own entry point leave the loop reported.

Also DeepRobust's BPDA attack (`attack/BPDA.py`): it backpropagates to an image through
torchvision's `resnet18(pretrained=True)` read with `skimage.io.imread`. Pretrained weights
are loaded, not drawn, and a file reader draws nothing, so nothing there is random; a model
built without its weights, or given a new head, still draws.

Family 4, a validation split named `X_test`: Auto_NLP's `select_best_nlp_vectorizer(model,
data, ...)` splits the `data` it is handed into `X_train, X_test, ...` and keeps the vectorizer
that scores best on that `X_test`. Held-out rows carved from what the function is given are a
validation split, where a choice belongs. A split of data the function reads itself, or a test
set passed in, stays the test split.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path, review_report
from tests.helpers import write_app

TEMPORAL = "temporal-random-split"
FIT_ON_TEST = "fit-on-test"
UNSEEDED = "unseeded-randomness"

DATES = """\
    import pandas as pd
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.model_selection import train_test_split


    def add_date_features(dtf, ts_column):
        dtf[ts_column] = pd.to_datetime(dtf[ts_column])
        dtf["month"] = dtf[ts_column].dt.month
        return dtf.drop(columns=[ts_column])


    def fit_holdout(data, target):
        train, test = train_test_split(data, test_size=0.2, random_state=0)
        model = RandomForestRegressor(random_state=0).fit(train.drop(columns=[target]), train[target])
        return model.score(test.drop(columns=[target]), test[target])


    def run(path, ts_column, target):
        data = add_date_features(pd.read_csv(path), ts_column)
        return fit_holdout(data, target)
"""

QUICK = """\
    import pandas as pd
    from sklearn.linear_model import Ridge

    sales = pd.read_csv("daily_sales.csv", parse_dates=["date"])
    X_train, y_train = sales[sales["date"] < "2024"][["promo"]], sales[sales["date"] < "2024"]["units"]
    X_cv, y_cv = sales[sales["date"] >= "2024"][["promo"]], sales[sales["date"] >= "2024"]["units"]


    def quick_ensemble(X_train, y_train, X_cv, y_cv):
        X_train = X_train.sample(frac=0.30, random_state=99)
        y_train = y_train[X_train.index]
        return Ridge().fit(X_train, y_train).score(X_cv, y_cv)


    print(quick_ensemble(X_train, y_train, X_cv, y_cv))
"""


def _lines(tmp_path: Path, source: str, rule: str) -> list[int]:
    """The lines of `rule`'s findings on one module written under tmp_path."""
    folder = write_app(tmp_path, {"pipeline.py": source})
    return sorted(f.line for f in review_path(folder) if f.rule == rule)


def test_a_date_column_a_parameter_names_is_a_feature_of_generic_rows(tmp_path: Path) -> None:
    assert _lines(tmp_path, DATES, TEMPORAL) == []


def test_a_date_column_the_script_names_and_parses_stays_reported(tmp_path: Path) -> None:
    named = DATES.replace("dtf[ts_column] = pd.to_datetime", 'dtf["date"] = pd.to_datetime')
    assert _lines(tmp_path, named, TEMPORAL) == [13]


def test_rows_sorted_by_a_date_a_parameter_names_stay_reported(tmp_path: Path) -> None:
    by_date = DATES.replace(
        "data = add_date_features(pd.read_csv(path), ts_column)",
        'data = add_date_features(pd.read_csv(path).sort_values("order_date"), ts_column)',
    )
    assert _lines(tmp_path, by_date, TEMPORAL) == [13]


def test_a_subsample_of_training_rows_is_no_split(tmp_path: Path) -> None:
    assert _lines(tmp_path, QUICK, TEMPORAL) == []


def test_a_sample_that_makes_the_training_side_of_dated_rows_stays_reported(
    tmp_path: Path,
) -> None:
    split = QUICK.replace("X_train = X_train.sample(", "X_train = sales.sample(")
    assert _lines(tmp_path, split, TEMPORAL) == [10]


POLY = """\
    import pandas as pd
    from sklearn.linear_model import Lasso
    from sklearn.preprocessing import StandardScaler


    def add_poly_vars(data, numvars, scaling=True):
        X_data = data[numvars]
        if scaling == "Standard":
            XS = StandardScaler().fit_transform(X_data)
        elif scaling == "Centering":
            XS = X_data - X_data.mean()
        else:
            XS = X_data.copy()
        return XS


    train = pd.read_csv("train.csv")
    test = pd.read_csv("test.csv")
    X_train = add_poly_vars(train, ["a", "b"], scaling="None")
    X_test = add_poly_vars(test, ["a", "b"], scaling="None")
    model = Lasso(alpha=0.1).fit(X_train, train["y"])
    print(model.score(X_test, test["y"]))
"""


def test_a_scaling_branch_no_caller_chooses_is_not_run(tmp_path: Path) -> None:
    assert _lines(tmp_path, POLY, FIT_ON_TEST) == []


def test_a_scaling_branch_the_default_does_not_choose_is_not_run(tmp_path: Path) -> None:
    defaulted = POLY.replace(', scaling="None")', ")")
    assert _lines(tmp_path, defaulted, FIT_ON_TEST) == []


def test_a_scaling_branch_a_caller_chooses_stays_reported(tmp_path: Path) -> None:
    chosen = POLY.replace(
        'add_poly_vars(test, ["a", "b"], scaling="None")',
        'add_poly_vars(test, ["a", "b"], scaling="Standard")',
    )
    assert _lines(tmp_path, chosen, FIT_ON_TEST) == [9]


def test_a_branch_on_a_parameter_nobody_passes_stays_reported(tmp_path: Path) -> None:
    unknown = (
        POLY.replace("scaling=True", "scaling")
        .replace(', scaling="None")', ", mode)")
        .replace(
            'train = pd.read_csv("train.csv")',
            'mode = input()\n    train = pd.read_csv("train.csv")',
        )
    )
    assert _lines(tmp_path, unknown, FIT_ON_TEST) == [9, 11]


CNN = """\
    import torch
    import torch.nn as nn
    import torch.nn.functional as F


    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 8, 3)
            self.fc = nn.Linear(8 * 26 * 26, 10)

        def forward(self, x):
            return self.fc(F.relu(self.conv(x)).flatten(1))


    def train(model, device, train_loader, optimizer, epoch):
        model.train()
        for data, target in train_loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(data.to(device)), target.to(device))
            loss.backward()
            optimizer.step()
"""

TRAIN_MODEL = """\
    import torch
    import torch.optim as optim
    from torchvision import datasets, transforms


    def train(model, device, maxepoch, seed=100):
        torch.manual_seed(seed)
        loader = torch.utils.data.DataLoader(
            datasets.MNIST("data", train=True, transform=transforms.ToTensor()), shuffle=True
        )
        if model == "CNN":
            import cnn as MODEL

            net = MODEL.Net().to(device)
        else:
            import mlp as MODEL

            net = MODEL.Net().to(device)
        optimizer = optim.SGD(net.parameters(), lr=0.1)
        for epoch in range(maxepoch):
            MODEL.train(net, device, loader, optimizer, epoch)
"""

ATTACK = """\
    import torch

    from cnn import Net


    def attack(image, device):
        model = Net().to(device)
        model.load_state_dict(torch.load("cnn.pt"))
        model.eval()
        return model(image).argmax()
"""


def _trained(tmp_path: Path, **changed: str) -> list[str]:
    files = {
        "cnn.py": CNN,
        "mlp.py": CNN.replace("nn.Conv2d(1, 8, 3)", "nn.Identity()"),
        "train_model.py": TRAIN_MODEL,
        "attack.py": ATTACK,
    }
    folder = write_app(tmp_path, {**files, **changed})
    return sorted(f"{f.path}:{f.line}" for f in review_path(folder) if f.rule == UNSEEDED)


def test_a_training_step_its_runner_seeds_torch_before_is_not_reported(tmp_path: Path) -> None:
    assert _trained(tmp_path) == []


def test_explain_names_the_runner_that_seeds_torch(tmp_path: Path) -> None:
    _trained(tmp_path)
    notes = {(n.path, n.line): n.text for n in review_report(tmp_path).notes if n.rule == UNSEEDED}
    assert notes[("cnn.py", 21)] == (
        "train() is called only after a seed of torch, in train_model.py (seeded at line 7)"
    )


def test_a_runner_that_seeds_nothing_leaves_the_step_reported(tmp_path: Path) -> None:
    unseeded = TRAIN_MODEL.replace("    torch.manual_seed(seed)\n", "")
    assert _trained(tmp_path, **{"train_model.py": unseeded}) == ["cnn.py:21"]


def test_a_runner_that_seeds_only_numpy_leaves_the_step_reported(tmp_path: Path) -> None:
    numpy_only = TRAIN_MODEL.replace("torch.manual_seed(seed)", "np.random.seed(seed)").replace(
        "import torch\n", "import numpy as np\n    import torch\n", 1
    )
    assert "cnn.py:21" in _trained(tmp_path, **{"train_model.py": numpy_only})


def test_another_unseeded_caller_leaves_the_step_reported(tmp_path: Path) -> None:
    calling = ATTACK.replace("from cnn import Net", "import cnn\n    from cnn import Net") + (
        "\n\n    cnn.train(Net(), 'cpu', [], None, 0)\n"
    )
    assert _trained(tmp_path, **{"attack.py": calling}) == ["cnn.py:21"]


def test_a_step_its_own_module_runs_stays_reported(tmp_path: Path) -> None:
    own = CNN + "\n\n    if __name__ == '__main__':\n        train(Net(), 'cpu', [], None, 0)\n"
    assert _trained(tmp_path, **{"cnn.py": own}) == ["cnn.py:21"]


BPDA = """\
    import skimage
    import torch
    import torch.nn as nn
    from torchvision import models


    def cw_grad(adv, label, model):
        loss = nn.CrossEntropyLoss()(model(adv), label)
        loss.backward()
        grad = adv.grad.clone()
        model.zero_grad()
        adv.grad.data.zero_()
        return grad


    if __name__ == "__main__":
        resnet = models.resnet18(pretrained=True).eval()
        image = torch.tensor(skimage.io.imread("test.png"), requires_grad=True)
        print(cw_grad(image, torch.tensor([924]), resnet).abs().max())
"""


def test_an_attack_on_a_pretrained_model_draws_nothing(tmp_path: Path) -> None:
    assert _lines(tmp_path, BPDA, UNSEEDED) == []


def test_a_model_built_without_its_weights_still_draws(tmp_path: Path) -> None:
    for built in ("resnet18(pretrained=False)", "resnet18(weights=None)", "resnet18()"):
        fresh = BPDA.replace("resnet18(pretrained=True)", built)
        assert _lines(tmp_path, fresh, UNSEEDED) == [9], built


def test_a_new_head_on_a_pretrained_model_still_draws(tmp_path: Path) -> None:
    headed = BPDA.replace(
        "        image =", "        resnet.fc = nn.Linear(512, 10)\n        image ="
    )
    assert _lines(tmp_path, headed, UNSEEDED) == [9]


SELECT = """\
    import pandas as pd
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.model_selection import train_test_split

    from scoring import score_by_metric


    def select_vectorizer(model, data, col, target):
        X_train, X_test, y_train, y_test = train_test_split(data[col], data[target], random_state=0)
        best_metric, best_vec = 0, None
        for max_df in (0.95, 0.5, 0.05):
            vec = CountVectorizer(max_df=max_df)
            metric = score_by_metric(model, X_train, X_test, y_train, y_test, vec)
            if metric >= best_metric:
                best_metric, best_vec = metric, vec
        return best_vec
"""


def test_a_split_of_the_data_a_function_is_handed_is_a_validation_split(tmp_path: Path) -> None:
    assert _lines(tmp_path, SELECT, "test-set-tuning") == []


def test_a_split_of_data_the_function_reads_stays_the_test_split(tmp_path: Path) -> None:
    reads = SELECT.replace(
        "def select_vectorizer(model, data, col, target):",
        "def select_vectorizer(model, path, col, target):\n        data = pd.read_csv(path)",
    )
    assert _lines(tmp_path, reads, "test-set-tuning") == [15]


def test_a_test_set_passed_in_stays_the_test_split(tmp_path: Path) -> None:
    passed = SELECT.replace(
        "def select_vectorizer(model, data, col, target):\n"
        "        X_train, X_test, y_train, y_test = train_test_split(data[col], data[target], "
        "random_state=0)",
        "def select_vectorizer(model, X_train, X_test, y_train, y_test):",
    )
    assert _lines(tmp_path, passed, "test-set-tuning") == [13]
