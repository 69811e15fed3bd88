"""Search and recycled text at archive scale: synthetic archives of 1k, 10k and 50k reports in the
search index.

Measures, per size (the queries in a process of their own that opens only the index), search p50/p99 over a fixed query mix (rare to common terms), the recycled-text
lookup of one report (its passages' band keys looked up, candidates confirmed on their texts) p50/p99
over a fixed sample of reports, the peak memory of the process, the index size and the time to
build it; writes them to bench/results.json under
``scale``. The texts come from the samples with entities, years and figures varied
(bench/generate.py), so no two are identical. Run: `.venv/bin/python bench/scale.py [--sizes 1000,10000]`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from generate import corpus

from report_tracker.archive.search import find_hits, query_terms
from report_tracker.archive.search_index import IndexedReport, SearchIndex, match_expression
from report_tracker.services.recycled import recycled_text
from report_tracker.services.search_engine import EmbeddedSearch
from report_tracker.services.search_index import IndexView

QUERIES = ["法治", "法治宣传活动", "行政复议 调解", "枫桥", "合法性审查", "2023", "执法 培训 考核"]
CAP = 1000


def query(index: SearchIndex, q: str) -> int:
    terms = query_terms(q)
    expressions = [e for t in terms if (e := match_expression(t))]
    candidates, _ = index.candidates(expressions, None, None, CAP)
    return sum(1 for c in candidates if find_hits(index.text(c.rowid), terms))


class OneFile(EmbeddedSearch):
    """The embedded engine over one index file, as a compacted base is read."""

    def __init__(self, reader: SearchIndex) -> None:
        self.reader = reader

    def view(self) -> IndexView:
        return IndexView([self.reader])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 1)


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image, where
    getrusage's ru_maxrss survives exec and so counts the parent this process was forked from
    (the generated corpus: 156 MB at 50k, not the 35 MB the index reader holds)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def serve(path: Path, reports: list[str]) -> dict[str, float]:
    """The serving side, in a process of its own (``--serve``): what a search function holds is the
    index file and its page cache, not the corpus the index was built from."""
    reader = SearchIndex(path, readonly=True)
    for q in QUERIES:
        query(reader, q)  # warm the page cache, as a warm container would be
    times = []
    for _ in range(20):
        for q in QUERIES:
            t = time.perf_counter()
            query(reader, q)
            times.append((time.perf_counter() - t) * 1000)
    lookups, candidates = [], []
    engine = OneFile(reader)
    for report in reports:
        t = time.perf_counter()
        found = recycled_text(engine, report)
        lookups.append((time.perf_counter() - t) * 1000)
        candidates.append(found.candidates if found else 0)
    return {
        "search_p50_ms": round(statistics.median(times), 1),
        "search_p99_ms": percentile(times, 0.99),
        "recycled_p50_ms": round(statistics.median(lookups), 1),
        "recycled_p99_ms": percentile(lookups, 0.99),
        "recycled_candidates_p50": statistics.median(candidates),
        "peak_rss_mb": peak_rss_mb(),
    }


def run(size: int) -> dict[str, float]:
    docs = corpus(size, county_templates=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "index.sqlite"
        index = SearchIndex(path)
        start = time.perf_counter()
        keys = [f"{town}\t{year}\t{k}" for k, (town, year, _) in enumerate(docs)]
        with index.batch():
            for key, (town, year, text) in zip(keys, docs, strict=True):
                index.put(IndexedReport(key, town, year, "rule_of_law_annual", 0, None, 1, "0", text))
        build_s = time.perf_counter() - start
        index.close()
        sample = Path(tmp) / "reports.json"
        sample.write_text(json.dumps(keys[:: max(1, len(keys) // 200)], ensure_ascii=False))
        served = subprocess.run(
            [sys.executable, __file__, "--serve", str(path), str(sample)],
            capture_output=True,
            text=True,
            check=True,
        )
        return {
            "reports": len(docs),
            **json.loads(served.stdout),
            "index_mb": round(path.stat().st_size / 1e6, 1),
            "build_s": round(build_s, 1),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--serve", nargs=2, metavar=("INDEX", "REPORTS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        index, reports = args.serve
        print(json.dumps(serve(Path(index), json.loads(Path(reports).read_text()))))
        return
    out = ROOT / "bench" / "results.json"
    results = json.loads(out.read_text()) if out.exists() else {}
    scale = {}
    for size in (int(s) for s in args.sizes.split(",")):
        scale[str(size)] = run(size)
        print(json.dumps(scale[str(size)], ensure_ascii=False), flush=True)
    results["scale"] = scale
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
