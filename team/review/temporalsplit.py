"""temporal-random-split: a shuffled split of time-indexed rows (a parsed or sorted datetime
column), so the model trains on rows from after the ones it is tested on. Once per split.
"""

from __future__ import annotations

from team.review.core import Finding
from team.review.findingtext import make_finding, path_line, read_steps, where_note
from team.review.sources import SourceFile
from team.review.values import Record

__all__ = ["temporal_findings"]


def temporal_findings(src: SourceFile, record: Record) -> list[Finding]:
    """temporal-random-split in one analysed file: one finding per shuffled split."""
    out, seen = [], set()
    for split in record.splits:
        if not (split.random and split.data.temporal) or split.at.site in seen:
            continue
        seen.add(split.at.site)
        trace = (
            *read_steps(record, split.data.ids),
            f"split: {split.func}, shuffled ({path_line(split.at)})",
        )
        out.append(
            make_finding(
                src,
                "temporal-random-split",
                split.at.site,
                f"{split.func} shuffles time-indexed data{where_note(split.at, src)} (it has a parsed or "
                "sorted datetime column), so the model trains on rows from after the ones it is "
                "tested on. Split by time: TimeSeriesSplit, a date cutoff, or shuffle=False on "
                "time-sorted rows.",
                trace=trace,
            )
        )
    return out
