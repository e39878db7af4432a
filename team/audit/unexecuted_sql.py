"""SQL-looking text that no database ever runs: a display label stored on a data record.

ruff's S608 reads any string built with "SELECT ... FROM" in it as a query; it follows the string
to no database call. SQLMesh's UI back end draws a column's lineage, and for a table it knows
nothing of (an external model) records a node whose display fields say where the column comes
from: `LineageColumn(expression=f"FROM {model_name}", source=f"SELECT {column} FROM
{model_name}", models={})` (`web/server/api/endpoints/lineage.py`). LineageColumn is a pydantic
model of the app's own, returned as JSON for the graph to show; no code reads its `source` back
into an engine, a cursor or `fetchdf`. Nothing runs the text, so nothing can be injected (judged
false, fresh54).

The built string counts as never executed only when everything it goes to, directly or through
the one local name it is assigned to, is a keyword of a constructor of a record the repository
declares (a class whose body annotates that field: a pydantic model, a dataclass, a TypedDict),
the keyword is not named for SQL (`sql=`, `query=`, `statement=`: text meant to be run,
wherever it is run), and no call of the repository that runs SQL (`execute`, `exec`, `scalar`,
`fetchdf`, `read_sql`, `text`, `raw`...), nor a function of the repository that hands a
parameter on to one (`def run(c, q): return c.fetchdf(q)`), is handed that field (`x.source`,
`x["source"]`, `getattr(x, "source")`) or a name assigned from it. A string handed to
`cursor.execute`, `text()`, or to a record whose field a database call reads is still reported.
"""

from __future__ import annotations

import ast
import re

from team.audit.queries import call_name
from team.audit.repo import Repo, innermost_function

__all__ = ["never_executed"]

# a keyword that names text meant to be run as SQL
_SQL_FIELD = re.compile(r"(?i)sql|query|stmt|statement|command|clause|where|cte")
# calls that run or wrap SQL text
_RUNS_SQL = re.compile(
    r"(?i)^(?:execute\w*|exec|exec_driver_sql|scalars?|mogrify|fetch\w*|query|raw|rawsql|extra"
    r"|read_sql\w*"
    r"|text|sql|run_sql|from_statement|literal_column)$"
)


def never_executed(repo: Repo, rel: str, line: int) -> bool:
    """The SQL-looking string built on `line` only goes to fields of the repository's own data
    records that no database call of the repository reads.

    Example:
        >>> import tempfile
        >>> from pathlib import Path
        >>> code = '''
        ... class LineageColumn(BaseModel):
        ...     source: str
        ...
        ... def lineage(model_name, column):
        ...     return LineageColumn(source=f"SELECT {column} FROM {model_name}")
        ... '''
        >>> root = Path(tempfile.mkdtemp())
        >>> _ = (root / "lineage.py").write_text(code)
        >>> label = never_executed(Repo.scan(root), "lineage.py", 6)
        >>> _ = (root / "run.py").write_text("def run(c, col):\\n    c.execute(col.source)\\n")
        >>> label, never_executed(Repo.scan(root), "lineage.py", 6)
        (True, False)
    """
    tree = repo.tree(rel)
    scope = None if tree is None else innermost_function(tree, line) or tree
    if scope is None:
        return False
    parents = {child: node for node in ast.walk(scope) for child in ast.iter_child_nodes(node)}
    built = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.JoinedStr | ast.BinOp)
        and n.lineno == line
        and not isinstance(parents.get(n), ast.JoinedStr | ast.BinOp)
    ]
    if not built:
        return False
    records = _records(repo)
    fields: set[str] = set()
    for node in built:
        uses = _destinations(node, scope, parents)
        if not uses:
            return False
        for call, keyword in uses:
            if keyword not in records.get(call_name(call), set()) or _SQL_FIELD.search(keyword):
                return False
            fields.add(keyword)
    return not any(_runs_field(repo, field) for field in fields)


def _destinations(
    node: ast.expr, scope: ast.AST, parents: dict[ast.AST, ast.AST]
) -> list[tuple[ast.Call, str]] | None:
    """(call, keyword) of each place the string goes: a keyword argument of a call, directly or
    through the name it is assigned to; None when it goes anywhere else."""
    holder = parents.get(node)
    if isinstance(holder, ast.keyword) and holder.arg is not None:
        call = parents.get(holder)
        return [(call, holder.arg)] if isinstance(call, ast.Call) else None
    if not (
        isinstance(holder, ast.Assign)
        and len(holder.targets) == 1
        and isinstance(holder.targets[0], ast.Name)
    ):
        return None
    name = holder.targets[0].id
    out: list[tuple[ast.Call, str]] = []
    for use in ast.walk(scope):
        if not (isinstance(use, ast.Name) and use.id == name and isinstance(use.ctx, ast.Load)):
            continue
        keyword = parents.get(use)
        call = parents.get(keyword) if keyword is not None else None
        if not (isinstance(keyword, ast.keyword) and keyword.arg and isinstance(call, ast.Call)):
            return None
        out.append((call, keyword.arg))
    return out


def _records(repo: Repo) -> dict[str, set[str]]:
    """Class name -> the fields its body annotates (`source: str`), for every class of the
    repository that declares fields so."""
    if "unexecuted_sql.records" not in repo.memo:
        found: dict[str, set[str]] = {}
        for _, tree in repo.modules():
            for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
                annotated = {
                    s.target.id
                    for s in cls.body
                    if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
                }
                if annotated:
                    found.setdefault(cls.name, set()).update(annotated)
        repo.memo["unexecuted_sql.records"] = found
    records: dict[str, set[str]] = repo.memo["unexecuted_sql.records"]
    return records


def _runs_field(repo: Repo, field: str) -> bool:
    """A call of the repository that runs SQL, or a function of the repository that hands a
    parameter on to one, is handed `x.field` (`x["field"]`, `getattr(x, "field")`), or a name a
    module assigns from it."""
    runs = _runners(repo)
    for _, tree in repo.modules():
        nodes = list(ast.walk(tree))
        held = {
            t.id
            for n in nodes
            if isinstance(n, ast.Assign) and _reads(n.value, field)
            for t in n.targets
            if isinstance(t, ast.Name)
        }
        for call in (n for n in nodes if isinstance(n, ast.Call)):
            name = call_name(call)
            if (_RUNS_SQL.match(name) or name in runs) and any(
                _reads(arg, field)
                or any(isinstance(n, ast.Name) and n.id in held for n in ast.walk(arg))
                for arg in [*call.args, *(k.value for k in call.keywords)]
            ):
                return True
    return False


def _runners(repo: Repo) -> set[str]:
    """Names of the repository's functions that hand a parameter on to a call that runs SQL,
    directly or through another such function (`def run(c, q): return c.fetchdf(q)`)."""
    if "unexecuted_sql.runners" not in repo.memo:
        functions = [
            n
            for _, tree in repo.modules()
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        runs: set[str] = set()
        for _ in range(3):
            runs |= {f.name for f in functions if _hands_on(f, runs)}
        repo.memo["unexecuted_sql.runners"] = runs
    runners: set[str] = repo.memo["unexecuted_sql.runners"]
    return runners


def _hands_on(function: ast.FunctionDef | ast.AsyncFunctionDef, runs: set[str]) -> bool:
    """`function` hands one of its parameters to a call that runs SQL or to one of `runs`."""
    args = function.args
    params = {p.arg for p in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    return any(
        isinstance(call, ast.Call)
        and (_RUNS_SQL.match(call_name(call)) or call_name(call) in runs)
        and any(
            isinstance(n, ast.Name) and n.id in params
            for arg in [*call.args, *(k.value for k in call.keywords)]
            for n in ast.walk(arg)
        )
        for call in ast.walk(function)
    )


def _reads(expr: ast.AST, field: str) -> bool:
    """`expr` reads `field` of a record: `x.field`, `x["field"]` or `getattr(x, "field")`."""
    return any(
        (isinstance(n, ast.Attribute) and n.attr == field)
        or (
            isinstance(n, ast.Subscript)
            and isinstance(n.slice, ast.Constant)
            and n.slice.value == field
        )
        or (
            isinstance(n, ast.Call)
            and call_name(n) == "getattr"
            and len(n.args) > 1
            and isinstance(n.args[1], ast.Constant)
            and n.args[1].value == field
        )
        for n in ast.walk(expr)
    )
