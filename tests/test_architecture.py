"""The layout is the architecture: layers, no import cycles, a small top level, a domain without web code."""

from __future__ import annotations

import graphlib
import subprocess
import sys
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

import mockopik

ROOT = Path(__file__).parent.parent
WEB = ("flask", "flask_cors", "waitress", "werkzeug")


def test_the_import_contracts_of_setup_cfg_hold() -> None:
    """Layers (each imports only from those below it) and a domain that reaches no web code."""
    assert lint_imports(config_filename=str(ROOT / "setup.cfg"), no_cache=True) == 0


def test_no_module_imports_itself_back() -> None:
    graph = grimp.build_graph("mockopik", cache_dir=None)
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    try:
        list(graphlib.TopologicalSorter(imports).static_order())
    except graphlib.CycleError as cycle:
        raise AssertionError(f"import cycle: {' -> '.join(cycle.args[1])}") from None


def test_at_most_fourteen_modules_sit_directly_in_the_package() -> None:
    top = sorted(path.name for path in Path(mockopik.__file__).parent.glob("*.py"))
    assert len(top) <= 14, top


def test_importing_the_domain_loads_no_web_code() -> None:
    script = (
        "import sys, mockopik.domain.store, mockopik.domain.experiments, mockopik.domain.aggregates; "
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {WEB!r}))"
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_the_readme_module_map_matches_the_tree() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```text\nmockopik/\n", 1)[1].split("```", 1)[0]
    named = {
        name.removesuffix(".py").removesuffix("/")
        for line in block.splitlines()
        if line.startswith("  ") and not line.startswith("   ")
        for name in line.split("  ")[1].split()
    }
    package = Path(mockopik.__file__).parent
    actual = {path.stem for path in package.glob("*.py")} | {
        path.parent.name for path in package.glob("*/__init__.py")
    }
    assert named == actual
