"""ML review round 40: what real code hides from the review, by family.

Family 1, a memory and timing benchmark: ALIGNN's `scaling_test_cu.py` builds a fresh model,
times one forward and backward pass per precision and records the peak GPU memory
(`torch.cuda.max_memory_allocated`), printing and dumping only those. Its name says no
"benchmark", so it was read as an unseeded training loop. A script that reads a peak-memory
counter and a clock, scores nothing and shows no loss or metric is now a benchmark: no number it
reports depends on the draws. One that also prints its loss stays reported.
"""

from __future__ import annotations

from pathlib import Path

from team.review import review_path
from tests.helpers import write_app

UNSEEDED = "unseeded-randomness"

SCALING = """\
    import time

    import torch

    from models import Net


    def run_one(model, x):
        torch.cuda.reset_peak_memory_stats()
        t0 = time.time()
        out = model(x)
        loss = out.sum()
        loss.backward()
        dt = time.time() - t0
        peak = torch.cuda.max_memory_allocated() / 1e9
        return {"time_s": dt, "peak_gb": peak}


    def main():
        model = Net()
        for n in range(1, 5):
            x = torch.ones(n * 64, 92)
            r = run_one(model, x)
            print(f"{n}: {r['peak_gb']:.2f} GB  {r['time_s'] * 1000:.0f} ms")
        print("all precisions OOM - stopping")


    if __name__ == "__main__":
        main()
"""

NET = """\
    import torch


    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(92, 1)
            self.drop = torch.nn.Dropout(0.1)

        def forward(self, x):
            return self.fc(self.drop(x))
"""


def _unseeded(tmp_path: Path, script: str) -> list[tuple[str, int]]:
    folder = write_app(tmp_path, {"scaling.py": script, "models.py": NET})
    return [(f.path, f.line) for f in review_path(folder) if f.rule == UNSEEDED]


def test_a_memory_and_timing_benchmark_is_not_reported(tmp_path: Path) -> None:
    assert _unseeded(tmp_path, SCALING) == []


def test_a_benchmark_that_also_prints_its_loss_is_reported(tmp_path: Path) -> None:
    script = SCALING.replace('return {"time_s"', 'print("loss", loss.item())\n    return {"time_s"')
    assert _unseeded(tmp_path, script) == [("scaling.py", 13)]


def test_a_timed_loop_without_a_memory_counter_is_reported(tmp_path: Path) -> None:
    script = SCALING.replace("torch.cuda.max_memory_allocated()", "torch.cuda.device_count()")
    assert _unseeded(tmp_path, script) == [("scaling.py", 13)]
