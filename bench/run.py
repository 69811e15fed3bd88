"""``make bench``: every figure of the performance issue, with its peer measured in the same run.

Prints a table and writes bench/results.json. Not part of the test run: nothing here
asserts, it measures. ``--quick`` uses fewer repetitions and a smaller stack load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

from bench import report
from bench.common import recorded_uploads
from bench.generate import corpus, edit, large_text
from report_tracker.archive.diff import _degenerate, diff_reports
from report_tracker.parse import read_report, read_text
from report_tracker.tracking.compare import compare
from report_tracker.tracking.templates import template_shares

Row = dict[str, Any]
rows: list[Row] = []


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def record(name: str, ours: float, unit: str, *, peer: str = "", peer_value: float | None = None,
           target: str = "", note: str = "") -> None:  # fmt: skip
    ratio = f"{peer_value / ours:.1f}x" if peer_value and ours else ""
    rows.append({"figure": name, "ours": round(ours, 2), "unit": unit, "peer": peer,
                 "peer_value": None if peer_value is None else round(peer_value, 2), "ratio": ratio,
                 "target": target, "note": note})  # fmt: skip
    peer_text = f"{peer} {peer_value:.1f}{unit} (peer/ours {ratio})" if peer_value is not None else ""
    print(f"{name:<46} {ours:>10.2f} {unit:<6} {peer_text:<44} {target} {note}", flush=True)


def texts() -> tuple[list[bytes], list[bytes]]:
    if (CORPUS / "seeds").is_dir():
        seeds = [p.read_bytes() for p in sorted((CORPUS / "seeds").glob("*.txt"))]
        council = [p.read_bytes() for p in sorted((CORPUS / "state-council").glob("*.txt"))]
    else:  # without ../shared: generated reports stand in for both sizes
        docs = corpus(20)
        seeds = [d[2].encode() for d in docs[:5]]
        council = [(d[2] * 10).encode() for d in docs[5:8]]
    return seeds, council


def bench_parse(seeds: list[bytes], council: list[bytes], repeat: int) -> None:
    seed_ms = statistics.median(median_ms(lambda d=d: read_report(d), repeat) for d in seeds)
    council_ms = statistics.median(median_ms(lambda d=d: read_report(d), repeat) for d in council)
    size = statistics.median(len(d) for d in seeds) / 1024
    record(f"1. parse, seed report (~{size:.0f} KB)", seed_ms, "ms", target="< 20 ms")
    record(
        f"1. parse, State Council (~{statistics.median(len(d) for d in council) / 1024:.0f} KB)",
        council_ms,
        "ms",
        target="< 80 ms",
    )


def _subprocess_ms(code: str, timeout: float) -> float | None:
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    return float(out.stdout.strip().splitlines()[-1])


def bench_diff(seeds: list[bytes], council: list[bytes], repeat: int) -> None:
    rng = random.Random(5)
    cases = []
    for label, raw in (("15 KB", max(seeds, key=len)), ("55 KB", max(council, key=len))):
        text = read_report(raw).text
        paragraphs = text.split("\n")
        shuffled = paragraphs[:1] + rng.sample(paragraphs[1:], len(paragraphs) - 1)
        cases.append((f"{label}, 10% edits", text, read_report(edit(text, rng, 0.1).encode()).text))
        cases.append((f"{label}, reordered", text, "\n".join(shuffled)))
    for label, a, b in cases:
        ra, rb = read_text(a), read_text(b)
        ours = median_ms(lambda ra=ra, rb=rb: diff_reports(ra, rb), repeat * 3)  # ms-scale: more samples
        method = diff_reports(ra, rb).method
        data = json.dumps({"a": ra.text, "b": rb.text})
        difflib_ms = _subprocess_ms(
            "import difflib,json,sys,time;d=json.loads(sys.stdin.read()) if False else "
            + repr(json.loads(data))
            + ";"
            "import statistics;ts=[]\n"
            "for _ in range(3):\n"
            " t=time.perf_counter();difflib.SequenceMatcher(None,d['a'],d['b'],autojunk=False).get_opcodes()\n"
            " ts.append((time.perf_counter()-t)*1000)\n"
            "print(statistics.median(ts))",
            timeout=60,
        )
        from diff_match_patch import diff_match_patch

        engine = diff_match_patch()
        engine.Diff_Timeout = 1.0
        start = time.perf_counter()
        pure = engine.diff_main(ra.text, rb.text, False)
        engine.diff_cleanupSemantic(pure)
        pure_ms = (time.perf_counter() - start) * 1000
        from report_tracker.archive.diff import _Raw

        pure_degenerate = _degenerate(
            ra.text, rb.text, [_Raw({0: "equal", -1: "delete", 1: "insert"}[o], t) for o, t in pure]
        )
        record(f"2. diff {label} vs difflib", ours, "ms", peer="difflib", peer_value=difflib_ms,
               target=">= 20x difflib", note=f"[{method}]" + ("" if difflib_ms else " difflib > 60 s"))  # fmt: skip
        record(f"2. diff {label} vs pure dmp", ours, "ms", peer="pure-dmp", peer_value=pure_ms,
               note="pure dmp degenerate" if pure_degenerate else "")  # fmt: skip


def bench_compare(council: list[bytes], repeat: int) -> None:
    earlier, later = read_report(council[-2]), read_report(council[-1])
    record(
        "3. year-over-year compare, 55 KB pair",
        median_ms(lambda: compare(earlier, later), repeat),
        "ms",
        target="< 150 ms",
    )


def layer_dir() -> Path:
    """A layer installed the way shared/Makefile installs it (pip --no-compile), for this Python."""
    target = Path(tempfile.mkdtemp(prefix="report-tracker-layer-")) / "python"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
                    "-c", str(ROOT / "constraints.txt"), "-r", str(ROOT / "shared" / "requirements.txt"),
                    "-t", str(target)], check=True, capture_output=True)  # fmt: skip
    shutil.copytree(ROOT / "shared" / "report_tracker", target / "report_tracker")
    for cache in list(target.rglob("__pycache__")):
        shutil.rmtree(cache, ignore_errors=True)
    for junk in ("bin", "build", "example", "src", "tests"):  # as shared/Makefile removes them
        shutil.rmtree(target / junk, ignore_errors=True)
    return target


def template_environment() -> dict[str, str]:
    """The functions' plain environment variables in template.yaml (the deployed configuration)."""
    from report_tracker.local.template import load_template

    variables = load_template(ROOT / "template.yaml")["Globals"]["Function"]["Environment"]["Variables"]
    return {k: v for k, v in variables.items() if isinstance(v, str)}


# The issue's yardstick: what a naive handler imports before doing anything.
NAIVE_IMPORT = (
    "import boto3, pydantic\n"
    "from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\n"
    "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent\n"
)


def bench_cold_start(repeat: int) -> None:
    """Import time of each handler from a layer-like directory, as Lambda's init does it.

    Without bytecode is how the layer was built before (/opt is read-only, so every module is
    compiled at every cold start); with bytecode is what shared/Makefile ships now. "X-Ray on"
    is the deployed configuration (Tracing: Active), "off" is tracing disabled. The peer is the
    naive import the issue measured, from the same layer, in the same run.
    """
    layer = layer_dir()
    timed = (
        "import sys,time;sys.path.insert(0,sys.argv[2]);t=time.perf_counter();{body};"
        "print((time.perf_counter()-t)*1000)"
    )
    handler = timed.format(
        body="import importlib.util;s=importlib.util.spec_from_file_location('h',sys.argv[1]);"
        "m=importlib.util.module_from_spec(s);s.loader.exec_module(m)"
    )
    naive = timed.format(body=f"exec({NAIVE_IMPORT!r})")
    base = dict(os.environ, RAW_BUCKET="raw-bucket", ARCHIVE_BUCKET="archive-bucket", TABLE_NAME="table",
                AWS_DEFAULT_REGION="us-east-1", POWERTOOLS_METRICS_DISABLED="true", **template_environment())  # fmt: skip
    base.pop("POWERTOOLS_TRACE_DISABLED", None)
    tracing = {"X-Ray off": {**base, "POWERTOOLS_TRACE_DISABLED": "true"},
               "X-Ray on": {**base, "LAMBDA_TASK_ROOT": str(layer)}}  # fmt: skip

    def median_of(code: str, script: str, env: dict[str, str]) -> float:
        samples = []
        for _ in range(repeat):
            out = subprocess.run([sys.executable, "-B", "-c", code, script, str(layer)],
                                 capture_output=True, text=True, env=env, check=True)  # fmt: skip
            samples.append(float(out.stdout.strip().splitlines()[-1]))
        return statistics.median(samples)

    try:
        for bytecode in (False, True):
            if bytecode:
                subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode",
                                "unchecked-hash", str(layer)], check=True, capture_output=True)  # fmt: skip
            peer = median_of(naive, "-", tracing["X-Ray off"])
            for mode, env in tracing.items():
                if not bytecode and mode == "X-Ray on":
                    continue  # the "before" row: one configuration is enough to show the cost
                for name, target in (("ingest", "< 350 ms"), ("api", "< 400 ms")):
                    ours = median_of(handler, str(ROOT / "functions" / name / "app.py"), env)
                    label = f"{'bytecode' if bytecode else 'no bytecode (before)'}, {mode}"
                    record(f"4. cold start: {name} handler, {label}", ours, "ms", peer="naive import",
                           peer_value=peer, target=target if bytecode else "")  # fmt: skip
        bench_first_request(layer, base, repeat=max(3, repeat // 2))
    finally:
        shutil.rmtree(layer.parent, ignore_errors=True)


# Imports a handler from the layer, then invokes it twice (first = cold, second = warm) with the
# events given; prints the three times. The context is inline: importing ours would import more.
FIRST_REQUEST = """
import json, sys, time, uuid
sys.path.insert(0, sys.argv[2])
events = json.loads(sys.argv[3])
class Context:
    function_name = sys.argv[4]; memory_limit_in_mb = 512; function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + function_name
    log_group_name = "/aws/lambda/" + function_name; log_stream_name = "bench"
    def __init__(self): self.aws_request_id = str(uuid.uuid4()); self._end = time.monotonic() + 30
    def get_remaining_time_in_millis(self): return int((self._end - time.monotonic()) * 1000)
t = time.perf_counter()
import importlib.util
spec = importlib.util.spec_from_file_location("h", sys.argv[1]); m = importlib.util.module_from_spec(spec)
spec.loader.exec_module(m)
times = [(time.perf_counter() - t) * 1000]
for event in events:
    t = time.perf_counter(); out = m.lambda_handler(event, Context()); times.append((time.perf_counter() - t) * 1000)
    assert not out.get("batchItemFailures") and out.get("statusCode", 200) == 200, out
print(json.dumps(times))
"""


def bench_first_request(layer: Path, env: dict[str, str], repeat: int) -> None:
    """Import, first request and a warm request, each in a fresh interpreter, against the stand-in.

    Import time alone hides what is deferred to the first request (clients, lazy imports,
    validators built on first use); the first request minus a warm one is that cost. Timings
    include the stand-in's own latency, which the warm request has too.
    """
    from report_tracker.local.stack import LocalStack, http_api_event, sqs_event

    docs = corpus(8, seed=41)
    town = docs[0][0]
    years = sorted(y for t, y, _ in docs if t == town)
    base_text = next(text for t, y, text in docs if t == town and y == years[-1])
    with LocalStack(dispatch=False) as stack:
        s3, sqs = stack.client("s3"), stack.client("sqs")
        arn = stack.provisioned.queue_arns[stack.queue_id]

        def messages(count: int) -> list[dict[str, Any]]:
            got: list[dict[str, Any]] = []
            while len(got) < count:
                got += sqs.receive_message(QueueUrl=stack.queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                           AttributeNames=["All"]).get("Messages", [])  # fmt: skip
            return got

        # The town's earlier years are archived, so each new upload is compared with one of them.
        earlier = [(t, y, text) for t, y, text in docs if t == town and y != years[-1]]
        for i, (t, y, text) in enumerate(earlier):
            s3.put_object(Bucket=stack.raw_bucket, Key=f"inbox/{t}/{y}/seed{i}.txt", Body=text.encode())
        stack.dispatch(sqs, messages(len(earlier)), arn, 30)
        rng = random.Random(5)
        for k in range(2 * repeat):  # two fresh uploads per run: a cold one and a warm one
            body = edit(base_text, rng, 0.05).encode()
            s3.put_object(Bucket=stack.raw_bucket, Key=f"inbox/{town}/{years[-1]}/v{k}.txt", Body=body)
        fresh = messages(2 * repeat)
        child_env = {**env, **{k: v for k, v in os.environ.items() if k.startswith(("AWS_", "RAW_", "ARCHIVE_",
                     "TABLE_", "INGEST_"))}, "POWERTOOLS_TRACE_DISABLED": "true"}  # fmt: skip
        entity_list = http_api_event("GET", "/entities?limit=50", {}, b"", "127.0.0.1")
        runs: dict[str, list[list[float]]] = {"ingest": [], "api": []}
        for k in range(repeat):
            for name, events in (("ingest", [sqs_event([m], arn) for m in fresh[2 * k : 2 * k + 2]]),
                                 ("api", [entity_list, entity_list])):  # fmt: skip
                fn = "IngestFunction" if name == "ingest" else "ApiFunction"
                out = subprocess.run([sys.executable, "-B", "-c", FIRST_REQUEST, str(ROOT / "functions" / name / "app.py"),
                                      str(layer), json.dumps(events), fn], capture_output=True, text=True,
                                     env=child_env, check=True)  # fmt: skip
                runs[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
        for name, label in (("ingest", "one upload, stored and compared"), ("api", "entity list")):
            imported, first, warm = (statistics.median(r[i] for r in runs[name]) for i in range(3))
            record(f"4. first request after cold start: {name} ({label})", first, "ms", peer="warm request",
                   peer_value=warm, note=f"import {imported:.0f} ms; cold-only cost {first - warm:.0f} ms")  # fmt: skip


def bench_memory() -> None:
    largest = (
        max((CORPUS / "state-council").glob("*.txt"), key=lambda p: p.stat().st_size)
        if CORPUS.is_dir()
        else None
    )
    # The peak RSS of the child alone: ru_maxrss survives fork+exec on Linux, so it reported the
    # bench process's own size whenever that was larger. Linux resets the high-water mark when
    # 5 is written to clear_refs; VmHWM then counts this process only.
    code = "\n".join([
        "import resource, sys",
        "from pathlib import Path",
        "from report_tracker.errors import DocumentTooLarge",
        "from report_tracker.parse import read_report",
        "data = open(sys.argv[1], 'rb').read()",
        "status = Path('/proc/self/status')",
        "linux = status.exists()",
        "linux and Path('/proc/self/clear_refs').write_text('5')",
        "try:",
        "    read_report(data)",
        "except DocumentTooLarge:",
        "    pass  # refused: the figure is what refusing costs",
        "print(int(next(l.split()[1] for l in status.read_text().splitlines() if l.startswith('VmHWM'))) / 1024"
        " if linux else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)",
    ])  # fmt: skip
    sizes = (
        ("6 MB upload (2.5 M characters, near the 3 M one report may hold)", 6),
        ("20 MB upload (refused as too large)", 20),
    )
    files: list[tuple[str, Path | None]] = [("largest corpus file", largest)]
    for label, mb in sizes:
        path = ROOT / "bench" / f".large-{mb}mb.txt"
        path.write_text(large_text(mb * 1024 * 1024 - 1024), encoding="utf-8")
        files.append((label, path))
    for label, found in files:
        if found is None:
            continue
        out = subprocess.run(
            [sys.executable, "-c", code, str(found)], capture_output=True, text=True, check=True
        )
        record(f"7. peak memory, {label}", float(out.stdout.strip()), "MB", target="fits 512 MB")
    for _, made in files[1:]:
        if made is not None:
            made.unlink()


def bench_reuse(n: int) -> None:
    docs = corpus(n * 4, seed=23)
    by_year: dict[int, dict[str, str]] = {}
    for town, year, text in docs:
        by_year.setdefault(year, {})[town] = text
    year, reports = max(by_year.items(), key=lambda kv: len(kv[1]))
    reports = dict(list(reports.items())[:n])
    start = time.perf_counter()
    template_shares(reports)
    record(
        f"8. template reuse across {len(reports)} reports of {year}",
        (time.perf_counter() - start) * 1000,
        "ms",
        target="< 10 s",
    )


def bench_stack(n: int, calls: int) -> None:
    from report_tracker.local.stack import FakeContext, LocalStack, http_api_event

    docs = corpus(n, seed=31)
    with LocalStack() as stack:
        s3 = stack.client("s3")
        start = time.perf_counter()
        lock = threading.Lock()
        queue = list(enumerate(docs))

        def put() -> None:
            client = stack.client("s3")
            while True:
                with lock:
                    if not queue:
                        return
                    i, (town, year, text) = queue.pop()
                client.put_object(
                    Bucket=stack.raw_bucket, Key=f"inbox/{town}/{year}/r{i}.txt", Body=text.encode()
                )

        workers = [threading.Thread(target=put) for _ in range(8)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        # Counting the store costs moto five index queries, which during the burst would compete
        # with what is measured: wait for the dispatcher to have handed over every message (free),
        # then count until every upload is recorded.
        while stack.dispatched < n and time.perf_counter() - start < 900:
            time.sleep(0.2)
        while recorded_uploads(stack) < n and time.perf_counter() - start < 900:
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
        # The dataset function works behind ingest, off its path: when its queue is empty, the
        # dataset holds every upload.
        sqs, dataset_queue = stack.client("sqs"), stack.provisioned.queues["DatasetQueue"]
        while time.perf_counter() - start < 900:
            attrs = sqs.get_queue_attributes(QueueUrl=dataset_queue, AttributeNames=["All"])["Attributes"]
            if (
                int(attrs["ApproximateNumberOfMessages"])
                + int(attrs["ApproximateNumberOfMessagesNotVisible"])
                == 0
            ):
                break
            time.sleep(0.5)
        dataset_s = time.perf_counter() - start
        record(f"5. throughput, {n} uploads via the local stack", n / elapsed, "rep/s", target=">= 50 rep/s",
               note=f"last queryable after {elapsed:.1f} s, dataset current after {dataset_s:.1f} s")  # fmt: skip
        del s3
        towns = sorted({(t, y) for t, y, _ in docs})
        rng = random.Random(3)
        routes: dict[str, list[float]] = {"entity list": [], "report": [], "yoy": [], "diff": []}
        multi = [(t, y) for t, y in towns if (t, y - 1) in set(towns)]
        for k in range(calls):
            town, year = rng.choice(multi or towns)
            name = list(routes)[k % 4]
            target = {
                "entity list": "/entities?limit=50",
                "report": f"/entities/{town}/reports/{year}",
                "yoy": f"/entities/{town}/yoy?year={year}",
                "diff": f"/entities/{town}/reports/{year}/diff?from=1&to=1",
            }[name]
            from urllib.parse import quote

            event = http_api_event("GET", quote(target, safe="/?=&"), {}, b"", "127.0.0.1")
            t0 = time.perf_counter()
            stack.api.lambda_handler(event, FakeContext("ApiFunction", 29))
            routes[name].append((time.perf_counter() - t0) * 1000)
        for name, samples in routes.items():
            samples.sort()
            p99 = samples[int(len(samples) * 0.99) - 1]
            record(
                f"6. API {name}: p50 (p99 {p99:.1f} ms)",
                statistics.median(samples),
                "ms",
                target="p99 < 50 ms",
            )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--stack-uploads", type=int, default=None, help="uploads for the stack figures (default 1000)"
    )
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'figure':<46} {'ours':>10} {'unit':<6} {'peer':<44} target")
    seeds, council = texts()
    bench_parse(seeds, council, repeat)
    bench_diff(seeds, council, repeat)
    bench_compare(council, repeat)
    bench_cold_start(5 if args.quick else 11)
    bench_memory()
    bench_reuse(200 if args.quick else 1000)
    uploads = args.stack_uploads or (100 if args.quick else 1000)
    bench_stack(uploads, 200 if args.quick else 1000)
    result = {"machine": {"platform": platform.platform(), "cores": os.cpu_count(), "python": platform.python_version()},
              "rows": rows}  # fmt: skip
    report.store("bench", result)
    print("wrote bench/results.json and docs/performance.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
