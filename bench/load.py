"""``make load``: bursts of uploads and concurrent API clients against the embedded stack.

Loopback only, bounded in count and time, stops by itself. Reports API throughput and
latency percentiles, 5xx errors, and lost uploads (any upload not ending in a recorded state).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import recorded_uploads
from bench.generate import corpus
from report_tracker.local.stack import LocalStack


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=500)
    parser.add_argument("--bursts", type=int, default=5)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    docs = corpus(args.uploads, seed=41)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    with LocalStack() as stack:
        stop = time.monotonic() + args.seconds

        def uploader() -> None:
            s3 = stack.client("s3")
            per_burst = max(1, len(docs) // args.bursts)
            for start in range(0, len(docs), per_burst):
                for i, (town, year, text) in enumerate(docs[start : start + per_burst], start=start):
                    s3.put_object(
                        Bucket=stack.raw_bucket, Key=f"inbox/{town}/{year}/load-{i}.txt", Body=text.encode()
                    )
                time.sleep(args.seconds / (args.bursts + 1))

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                town, year, _ = rng.choice(docs)
                path = rng.choice(["/entities?limit=20", f"/entities/{quote(town)}", f"/entities/{quote(town)}/reports/{year}",
                                   f"/entities/{quote(town)}/yoy?year={year}", "/uploads?status=failed"])  # fmt: skip
                t0 = time.perf_counter()
                try:
                    with urllib.request.urlopen(stack.api_url + path, timeout=30) as resp:
                        resp.read()
                        code = resp.status
                except urllib.error.HTTPError as err:
                    code = err.code
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)
                    statuses[code] = statuses.get(code, 0) + 1

        threads = [threading.Thread(target=uploader)] + [
            threading.Thread(target=client, args=(k,)) for k in range(args.clients)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        # Wait (bounded) for ingest to finish, then count uploads in a recorded state
        deadline = time.monotonic() + 600
        recorded = 0
        while time.monotonic() < deadline:
            recorded = recorded_uploads(stack)
            if recorded >= len(docs):
                break
            time.sleep(1)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))]

    print(
        f"API: {len(latencies)} requests from {args.clients} clients in {args.seconds:.0f} s = {len(latencies) / args.seconds:.1f} req/s"
    )
    print(
        f"latency p50 {statistics.median(latencies):.1f} ms, p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms"
    )
    print(
        f"status codes {dict(sorted(statuses.items()))}; 5xx: {sum(v for k, v in statuses.items() if k >= 500)}"
    )
    print(f"uploads {len(docs)} in {args.bursts} bursts; recorded {recorded}; lost {len(docs) - recorded}")
    return 0 if recorded >= len(docs) and not any(k >= 500 for k in statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
