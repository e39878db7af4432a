"""The package's structure: declared layers hold, and no import circles between its parts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import networkx as nx


def _units() -> nx.DiGraph:
    """Imports between the package's parts: its modules and subpackages (``team.review``...)."""
    graph = grimp.build_graph("team")
    units = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = (".".join(name.split(".")[:2]) for name in (module, imported))
            if a != b:
                units.add_edge(a, b)
    return units


def test_no_import_circles_between_parts_of_the_package():
    cycles = sorted(sorted(c) for c in nx.simple_cycles(_units()))
    assert cycles == []


def _circles_inside(package: str) -> list[list[str]]:
    """Import circles among the modules of one subpackage (imports in functions and under
    ``if TYPE_CHECKING:`` count too)."""
    graph = grimp.build_graph("team")
    modules = nx.DiGraph()
    for module in graph.find_children(package):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.startswith(package + "."):
                modules.add_edge(module, imported)
    return sorted(sorted(c) for c in nx.strongly_connected_components(modules) if len(c) > 1)


def test_the_module_graph_and_the_layering_import_one_way():
    assert _circles_inside("team.audit") == []


def test_the_ml_review_imports_one_way():
    # Annotations that would close a circle name the protocols in team.review.interfaces.
    assert _circles_inside("team.review") == []


def test_the_declared_layers_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout
    assert "Contracts: 2 kept, 0 broken." in done.stdout
