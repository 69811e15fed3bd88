"""The artefacts `make build` (sam build) leaves in .aws-sam/build: what the layer ships and that
each handler imports from them under the Lambda runtime's Python, where one is present."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT

BUILD = ROOT / ".aws-sam" / "build"
LAYER = BUILD / "SharedLayer" / "python"
pytestmark = pytest.mark.skipif(not LAYER.is_dir(), reason="no `make build` artefacts here")


def test_the_layer_ships_the_package_and_no_development_harness() -> None:
    package = LAYER / "report_tracker"
    assert (package / "api" / "static" / "labels.json").is_file()
    assert (package / "api" / "static" / "chart.umd.min.js").is_file()
    assert not (package / "local").exists() and not (package / "cli.py").exists()
    assert not (package / "tracking" / "evaluate.py").exists()
    for dev_only in ("moto", "pytest", "playwright", "docx", "reportlab"):
        assert not (LAYER / dev_only).exists(), dev_only
    for runtime in ("aws_lambda_powertools", "pydantic", "lxml", "rapidfuzz", "rensa", "feedgen"):
        assert (LAYER / runtime).is_dir(), runtime


def _python312() -> str | None:
    """A working python3.12 (a pyenv shim may exist without one behind it)."""
    candidates = [
        shutil.which("python3.12"),
        *map(str, Path.home().glob(".pyenv/versions/3.12*/bin/python3.12")),
    ]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "-c", "pass"], capture_output=True, timeout=30, check=False)
        if probe.returncode == 0:
            return candidate
    return None


@pytest.mark.parametrize("function", ["api", "ingest", "dataset"])
def test_each_handler_imports_from_the_built_artefacts(function: str) -> None:
    python = _python312()
    if python is None:
        pytest.skip("no python3.12 here (the Lambda runtime's Python)")
    code = BUILD / {"api": "ApiFunction", "ingest": "IngestFunction", "dataset": "DatasetFunction"}[function]
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": f"{code}:{LAYER}",
        "AWS_DEFAULT_REGION": "us-east-1",
        "RAW_BUCKET": "raw",
        "ARCHIVE_BUCKET": "archive",
        "TABLE_NAME": "table",
        "INGEST_QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    done = subprocess.run(
        [
            python,
            "-I",
            "-c",
            "import sys; sys.path[:0] = sys.argv[1:]; import app; assert app.lambda_handler",
            str(code),
            str(LAYER),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
