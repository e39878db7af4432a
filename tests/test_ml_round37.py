"""ML review round 37: what real code hides from the review, by family.

Family 1, a shuffle that makes the split: PyTorch-BigGraph's LiveJournal example reads the
edge file, calls `random.shuffle(lines)` and writes `lines[:split_len]` to `train.txt` and
`lines[split_len:]` to `test.txt`, then trains and reports ranking metrics on the test edges.
It imports only its own package, so it was not read as ML code and the unseeded split was not
reported. A shuffle whose list is then cut into a train and a test part is reported in any
module; a shuffle that only orders a vocabulary, a cut that names no train and test part, and a
seeded shuffle stay silent.

Family 2, a shuffle that only numbers names: the same package's TSV converter shuffles the
relation and entity names it counted and hands them only to `Dictionary(names)`, which gives
each name its integer id. The shuffle picks no rows and orders no data a model sees, so it is
no unseeded experiment. A shuffled list that is also iterated, sliced or handed to anything
else stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

UNSEEDED = "unseeded-randomness"

SPLIT_FILE = """\
    import random

    from edgepkg.train import train


    def random_split_file(fpath, train_file, test_file):
        lines = fpath.read_text().splitlines()
        random.shuffle(lines)
        split_len = int(len(lines) * 0.75)
        train_file.write_text("\\n".join(lines[:split_len]))
        test_file.write_text("\\n".join(lines[split_len:]))


    def main(fpath, train_file, test_file):
        random_split_file(fpath, train_file, test_file)
        train(train_file)


    if __name__ == "__main__":
        main(None, None, None)
"""

VOCABULARY = """\
    import random

    import torch

    from edgepkg.dictionary import Dictionary


    def relation_types(counter, given):
        if counter:
            names = list(counter.keys())
            random.shuffle(names)
        else:
            names = list(given)
            print(f"{len(names)} relation types given")
        return Dictionary(names)


    if __name__ == "__main__":
        relation_types({}, [])
"""


def _lines(tmp_path: Path, source: str) -> list[tuple[int, str]]:
    """The lines and messages of unseeded-randomness findings on one module under tmp_path."""
    folder = write_app(tmp_path, {"split.py": source})
    return [(f.line, f.message) for f in review_path(folder) if f.rule == UNSEEDED]


def test_a_shuffle_cut_into_train_and_test_files_is_reported(tmp_path: Path) -> None:
    found = _lines(tmp_path, SPLIT_FILE)
    assert [line for line, _ in found] == [8]
    assert "cut into the train and the test part" in found[0][1]


def test_a_shuffled_numpy_array_cut_into_train_and_test_is_reported(tmp_path: Path) -> None:
    source = """\
        import numpy as np

        rows = np.loadtxt("edges.txt")
        np.random.shuffle(rows)
        train_rows, test_rows = rows[:1000], rows[1000:]
        np.savetxt("test.txt", test_rows)
    """
    assert [line for line, _ in _lines(tmp_path, source)] == [4]


def test_a_seeded_shuffle_cut_into_train_and_test_is_not_reported(tmp_path: Path) -> None:
    source = SPLIT_FILE.replace("import random\n", "import random\n\nrandom.seed(0)\n")
    assert _lines(tmp_path, source) == []


def test_a_shuffle_that_only_orders_a_vocabulary_is_not_reported(tmp_path: Path) -> None:
    assert _lines(tmp_path, VOCABULARY) == []


def test_a_shuffle_cut_in_code_that_names_no_train_and_test_part_is_not_reported(
    tmp_path: Path,
) -> None:
    source = SPLIT_FILE.replace("train", "first").replace("test", "second")
    assert _lines(tmp_path, source) == []


def test_a_shuffle_whose_list_is_only_cut_at_one_end_is_not_reported(tmp_path: Path) -> None:
    source = SPLIT_FILE.replace("lines[split_len:]", "lines")
    assert _lines(tmp_path, source) == []


def test_a_shuffled_list_also_iterated_stays_reported(tmp_path: Path) -> None:
    source = VOCABULARY.replace(
        "        return Dictionary(names)",
        "        for name in names:\n            print(name)\n        return Dictionary(names)",
    )
    assert [line for line, _ in _lines(tmp_path, source)] == [11]


def test_a_shuffled_list_handed_to_another_constructor_stays_reported(tmp_path: Path) -> None:
    source = VOCABULARY.replace("Dictionary(names)", "Batches(names)")
    assert [line for line, _ in _lines(tmp_path, source)] == [11]
