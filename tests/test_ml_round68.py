"""ML review round 68: unseeded-randomness findings on spent corpora that the judges found false
(issue 14).

Part 1: ML-From-Scratch 0.0.4's `k_means.py`, `partitioning_around_medoids.py` and
`gaussian_mixture_model.py` each define a clustering class that picks its starting centres with
`np.random.choice`, and a `main()` run by the module's `__main__` guard that clusters a fresh
`make_blobs()` sample and only plots the predicted and the true clusters. Nothing is scored,
printed, saved or returned, and no other module uses the class: the draw changes a picture, not a
result. A runner that prints a score, or a class another module runs, stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

CLUSTERS = """
import numpy as np
from sklearn import datasets

from pkg.plotting import Plot


class KMeans:
    def __init__(self, k=2):
        self.k = k

    def _init_random_centroids(self, X):
        centroids = np.zeros((self.k, X.shape[1]))
        for i in range(self.k):
            centroids[i] = X[np.random.choice(range(X.shape[0]))]
        return centroids

    def predict(self, X):
        centroids = self._init_random_centroids(X)
        distances = ((X[:, None, :] - centroids[None]) ** 2).sum(axis=2)
        return distances.argmin(axis=1)


def main():
    X, y = datasets.make_blobs()
    clf = KMeans(k=3)
    y_pred = clf.predict(X)
    p = Plot()
    p.plot_in_2d(X, y_pred, title="K-Means Clustering")
    p.plot_in_2d(X, y, title="Actual Clustering")
{extra}

if __name__ == "__main__":
    main()
"""
PLOTTING = """
import matplotlib.pyplot as plt


class Plot:
    def plot_in_2d(self, X, y, title=""):
        plt.scatter(X[:, 0], X[:, 1], c=y)
        plt.title(title)
        plt.show()
"""
INIT = "from pkg.k_means import KMeans\n"


def _draw_lines(
    folder: Path, extra: str = "", more: dict[str, str] | None = None
) -> list[tuple[str, int]]:
    files = {
        "pkg/__init__.py": INIT,
        "pkg/plotting.py": PLOTTING,
        "pkg/k_means.py": CLUSTERS.replace("{extra}", extra),
        **(more or {}),
    }
    write_app(folder, files)
    return [(f.path, f.line) for f in review_path(folder) if f.rule == "unseeded-randomness"]


def _choice_line() -> tuple[str, int]:
    lines = CLUSTERS.lstrip("\n").splitlines()
    return "pkg/k_means.py", next(n for n, t in enumerate(lines, 1) if "np.random.choice" in t)


def test_a_class_whose_only_runner_plots_its_clusters_draws_no_result(tmp_path: Path) -> None:
    assert _draw_lines(tmp_path) == []


def test_a_runner_that_prints_a_score_of_the_clusters_stays_reported(tmp_path: Path) -> None:
    printed = "    print('agreement', np.mean(y_pred == y))\n"
    assert _draw_lines(tmp_path, printed) == [_choice_line()]


def test_a_class_another_module_scores_stays_reported(tmp_path: Path) -> None:
    demo = """
    import numpy as np
    from sklearn import datasets

    from pkg import KMeans

    X, y = datasets.make_blobs()
    y_pred = KMeans(k=3).predict(X)
    print("agreement", np.mean(y_pred == y))
    """
    found = _draw_lines(tmp_path, more={"demo.py": demo})
    assert _choice_line() in found
