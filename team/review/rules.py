"""Rules decided from what the data-flow interpreter recorded: leakage, evaluation, tuning, time.

Each function turns the `Record` of one analysed file into findings. Every finding sits on a
line of that file: when the offending fit happens inside a helper in another module, the
finding is on the call that hands the helper the unsplit data, and the message names the helper.
A leaking fit that several calls reach is moved to the fit's own file first (`fitsite.py`).

One module per rule family: `preprocessleak.py` (leakage-preprocess-before-split),
`testsetuse.py` (fit-on-test, test-set-tuning), `evalontrain.py` (eval-on-train) and
`temporalsplit.py` (temporal-random-split); `findingtext.py` writes their findings.
"""

from __future__ import annotations

from team.review.core import Finding
from team.review.evalontrain import eval_on_train_findings
from team.review.preprocessleak import leakage_findings
from team.review.sources import SourceFile
from team.review.temporalsplit import temporal_findings
from team.review.testsetuse import fit_on_test_findings, tuning_findings
from team.review.values import Record

__all__ = ["flow_findings"]


def flow_findings(src: SourceFile, record: Record) -> list[Finding]:
    """All data-flow findings for one analysed file."""
    out: list[Finding] = []
    for check in (
        leakage_findings,
        fit_on_test_findings,
        tuning_findings,
        eval_on_train_findings,
        temporal_findings,
    ):
        out.extend(check(src, record))
    return out
