"""The published Opik TypeScript SDK (npm `opik`) against a live mockopik, when node and npm are present.

The package is installed once into pytest's cache directory (`.pytest_cache`, never committed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support import HttpTransport

OPIK_NPM_VERSION = "2.0.40"
SCRIPT = Path(__file__).parent / "node" / "optimizations.mjs"
NODE, NPM = shutil.which("node"), shutil.which("npm")
OPERATIONS = {
    "createOptimization",
    "upsertOptimization",
    "getOptimizationById",
    "updateOptimizationsById",
    "findOptimizations",
    "getStudioOptimizationLogs",
    "cancelStudioOptimizations",
    "deleteOptimizationsById",
}

pytestmark = pytest.mark.skipif(NODE is None or NPM is None, reason="node and npm are not installed")


@pytest.fixture(scope="session")
def opik_npm(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with `opik` installed from npm (kept in pytest's cache between runs)."""
    cache = getattr(request.config, "cache", None)
    name = f"opik-npm-{OPIK_NPM_VERSION}"
    directory = Path(cache.mkdir(name)) if cache is not None else tmp_path_factory.mktemp(name)
    if not (directory / "node_modules" / "opik" / "package.json").exists():
        (directory / "package.json").write_text(json.dumps({"private": True}))
        install = [
            str(NPM),
            "install",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            f"opik@{OPIK_NPM_VERSION}",
        ]
        done = subprocess.run(
            install, cwd=directory, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, f"npm could not install opik@{OPIK_NPM_VERSION}:\n{done.stderr}"
    return directory


def test_the_typescript_sdk_drives_every_call(opik_npm: Path, http: HttpTransport) -> None:
    environment = {name: value for name, value in os.environ.items() if not name.startswith("OPIK_")}
    environment["OPIK_CONFIG_PATH"] = os.devnull  # no ~/.opik.config

    done = subprocess.run(
        [str(NODE), str(SCRIPT), http.server.url, str(opik_npm)],
        cwd=opik_npm,  # the SDK loads a .env from the working directory
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert (done.returncode, done.stdout) == (0, "ok\n"), done.stderr
    journal = http.get("/_mockopik/requests").json()["requests"]
    assert {entry["operation"] for entry in journal} >= OPERATIONS
    assert all(
        entry["status"] < 500 or entry["operation"] == "cancelStudioOptimizations" for entry in journal
    )
