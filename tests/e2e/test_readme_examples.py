"""Every command README.md and the `make run` banner show, run as written against a live stack.

The README's addresses (127.0.0.1:8080 and :5000, the bucket name) are replaced by the test stack's;
nothing else is changed. A command with a <placeholder> cannot be run and fails this test.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from report_tracker.cli import banner
from report_tracker.local.samples import upload_samples
from report_tracker.local.stack import LocalStack
from tests.conftest import ROOT, SAMPLES
from tests.e2e.conftest import get_json, path, poll

pytestmark = pytest.mark.e2e
README_BUCKET = "report-tracker-raw-123456789012-us-east-1"
AWS_CLI = ROOT / ".venv-aws" / "bin" / "aws"
EXPORTED: dict[str, str] = {}  # what the README's `export` lines set, for the commands after them


def readme_commands() -> list[str]:
    """The commands of README.md's ```sh blocks: continuation lines joined, comments dropped."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\\\n\s*", " ", block)
        for raw in joined.splitlines():
            line = re.sub(r"\s{2,}#.*$", "", raw).strip()
            if line and not line.startswith("#"):
                commands.append(line)
    return commands


def banner_commands(api: str, aws: str, bucket: str) -> list[str]:
    text = re.sub(r"\\\n\s*", " ", banner(api, aws, bucket))
    commands = []
    for raw in text.splitlines():
        line = re.sub(r"\s{2,}\(.*\)$", "", raw.strip())
        line = re.sub(r"^or(?: through the API, no AWS credentials)?: ", "", line)
        if line.startswith(("curl ", "AWS_ACCESS_KEY_ID=", "report-tracker ")):
            commands.append(line)
    return commands


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack() as running:
        upload_samples(running)
        poll(
            lambda: get_json(f"{running.api_url}/{path('entities', '青石镇', 'yoy')}?year=2024")[0] == 200,
            timeout=60,
        )
        yield running


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the report.txt the examples upload: 青石镇's next report (years moved on one)."""
    here = tmp_path_factory.mktemp("readme")
    text = (SAMPLES / "qingshi-2024-revised.txt").read_text(encoding="utf-8")
    text = text.replace("2025", "2026").replace("2024", "2025")
    (here / "report.txt").write_text(text, encoding="utf-8")
    return here


def run(command: str, stack: LocalStack, cwd: Path) -> subprocess.CompletedProcess[str]:
    command = command.replace("http://127.0.0.1:8080", stack.api_url)
    command = command.replace("http://127.0.0.1:5000", stack.aws_endpoint).replace(
        README_BUCKET, stack.raw_bucket
    )
    command = command.replace("samples/", f"{SAMPLES}/").replace(
        ".venv/bin/", f"{Path(sys.executable).parent}/"
    )
    assert "<" not in command, f"a placeholder cannot be run: {command}"
    bin_dirs = [str(Path(sys.executable).parent), str(AWS_CLI.parent)]
    env = {**os.environ, **EXPORTED, "PATH": os.pathsep.join([*bin_dirs, os.environ.get("PATH", "")])}
    if command.startswith("export "):
        EXPORTED.update(part.split("=", 1) for part in shlex.split(command)[1:])
        return subprocess.CompletedProcess(command, 0, "", "")
    return subprocess.run(
        command, shell=True, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def check(command: str, done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, f"{command}\n{done.stdout[-800:]}\n{done.stderr[-800:]}"
    if command.startswith("curl"):
        answer = json.loads(done.stdout)
        is_problem = isinstance(answer, dict) and isinstance(answer.get("status"), int) and "title" in answer
        assert not is_problem, f"{command} answered {answer}"
        assert answer, command
    if " upload " in f" {command} " and "--api" in command:
        assert re.search(r"stored as version \d+|duplicate", done.stdout), done.stdout


def test_every_readme_command_works(stack: LocalStack, workdir: Path) -> None:
    if not AWS_CLI.exists() and not shutil.which("aws"):
        pytest.skip("the AWS CLI is not installed (make test installs it in .venv-aws)")
    commands = readme_commands()
    assert len(commands) >= 10 and any(c.startswith("aws ") for c in commands)
    for command in commands:
        if command.startswith("make "):
            continue  # the two commands themselves: this run is one of them
        check(command, run(command, stack, workdir))
    # what the uploads above filed: 青石镇's 2025 report, readable, compared against its promises
    assert get_json(f"{stack.api_url}/{path('entities', '青石镇', 'reports', '2025')}")[0] == 200


def test_every_banner_command_works(stack: LocalStack, workdir: Path) -> None:
    if not AWS_CLI.exists() and not shutil.which("aws"):
        pytest.skip("the AWS CLI is not installed (make test installs it in .venv-aws)")
    commands = banner_commands(stack.api_url, stack.aws_endpoint, stack.raw_bucket)
    assert len(commands) >= 9
    for command in commands:
        check(command, run(command, stack, workdir))
