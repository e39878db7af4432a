"""Lightning modules that log only through returned dicts, which Lightning no longer reads.

Before Lightning 1.0 a step returned its metrics as `{"loss": loss, "log": {...},
"progress_bar": {...}}`; from 1.3 on the `log` and `progress_bar` keys of a returned dict are
ignored and only `self.log` reaches a logger, the progress bar or a checkpoint's `monitor`. A
module that logs only that way, calls `self.log` nowhere, monitors nothing and prints nothing
trains without a single number leaving it: Lightning's own semantic-segmentation template and
Bolts' AMDIM module. Its missing seed changes no result anyone reads.
"""

from __future__ import annotations

import ast

from team.review.calltools import leaf_name
from team.review.catalog import words

__all__ = ["ignored_dict_logs_reason"]

_DICT_LOG_KEYS = words("log progress_bar")
_LOGS = words("log log_dict log_metrics print")


def _returns_log_dict(tree: ast.Module) -> bool:
    """A method returns `{"log": ...}` or `{"progress_bar": ...}`."""
    return any(
        isinstance(node, ast.Return)
        and isinstance(node.value, ast.Dict)
        and any(isinstance(k, ast.Constant) and k.value in _DICT_LOG_KEYS for k in node.value.keys)
        for node in ast.walk(tree)
    )


def _reports_otherwise(tree: ast.Module) -> bool:
    """`self.log(...)`, a logger's `log_metrics`, a `print`, or a callback's `monitor=`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and leaf_name(node.func) in _LOGS:
            return True
        if isinstance(node, ast.keyword) and node.arg == "monitor":
            return True
    return False


def ignored_dict_logs_reason(tree: ast.Module) -> str | None:
    """Why a Lightning fit reports nothing: its module logs only through returned dicts
    (`{"log": ...}`), which Lightning 1.3 and later ignore; else None."""
    if not _returns_log_dict(tree) or _reports_otherwise(tree):
        return None
    return (
        'its LightningModule logs only through returned {"log": ...} dicts, which Lightning '
        "ignores since 1.3, and nothing else is logged, printed or monitored: no number "
        "depends on the run"
    )
