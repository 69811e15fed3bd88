"""docs/performance.md, written from bench/results.json: the page is never edited by hand.

``make bench`` (bench/run.py) and ``make load`` (bench/hostile.py) store their figures in
results.json and call ``write()``; the page shows the latest run of each.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
PAGE = ROOT / "docs" / "performance.md"

INTRO = """\
# Performance

Written by `make bench` and `make load` from `bench/results.json` (do not edit by hand: run them
again). `make bench` measures every figure with its peer in the same run (`--quick` for fewer
repetitions); inputs come from a seeded generator (`bench/generate.py`: the sample reports varied by
town, county, year, figures and edits) and from the corpus when it is beside the checkout. This VM's
speed varies by up to ±30% between runs, so read single figures with their peers, which move with
them. How each figure is taken is in the docstring of its function in `bench/run.py`.
"""


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("|", "\\|")


def _rows(rows: list[dict[str, Any]]) -> list[str]:
    out = ["| figure | ours | peer (same run) | target | |", "|---|---|---|---|---|"]
    for r in rows:
        peer = r.get("peer") or ""
        if r.get("peer_value") is not None:
            peer = f"{peer} {r['peer_value']} {r['unit']} (peer/ours {r.get('ratio')})"
        out.append(
            f"| {_cell(r['figure'])} | {r['ours']} {_cell(r['unit'])} | {_cell(peer)} | {_cell(r.get('target'))} "
            f"| {_cell(r.get('note'))} |"
        )
    return out


def _hostile(title: str, block: dict[str, Any]) -> list[str]:
    out = [f"## {title} (measured {block.get('measured', '?')})", ""]
    out += [
        "| input | MB | s | peak MB | s per MB | peak MB per MB | outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in block.get("inputs", []):
        out.append(
            f"| {_cell(r['name'])} | {r['upload_mb']} | {r['seconds']} | {r['peak_mb']} | {r['seconds_per_mb']} "
            f"| {r['peak_mb_per_mb']} | {_cell(r['outcome'][:100])} |"
        )
    return out


def render(results: dict[str, Any]) -> str:
    lines = [INTRO]
    machine = results.get("machine")
    if machine:
        lines += [
            f"## `make bench` (measured {results.get('measured', '?')})",
            "",
            f"Machine: {machine['platform']}, {machine['cores']} cores, Python {machine['python']}.",
            "",
            *_rows(results.get("rows", [])),
            "",
        ]
    else:
        lines += ["`make bench` has not been run since this page was introduced.", ""]
    if "hostile" in results:
        lines += [*_hostile("The worst uploads we know, read alone (`make load`)", results["hostile"]), ""]
    if "hostile_stack" in results:
        lines += [
            *_hostile("The same, through the embedded stack (`make load`)", results["hostile_stack"]),
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"


def store(key: str, value: Any) -> dict[str, Any]:
    """Merge one run's figures into results.json (other runs' figures are kept) and rewrite the page."""
    results = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    if key == "bench":
        results.update(value)
        results["measured"] = time.strftime("%Y-%m-%d")
    else:
        results[key] = value
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    PAGE.write_text(render(results), encoding="utf-8")
    return results


if __name__ == "__main__":
    PAGE.write_text(render(json.loads(RESULTS.read_text(encoding="utf-8"))), encoding="utf-8")
