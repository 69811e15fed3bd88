"""Version numbers under concurrency: the conditional transaction, not luck, keeps them contiguous."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from report_tracker.config import IngestSettings
from report_tracker.local.samples import upload_samples
from report_tracker.local.stack import FakeContext, LocalStack, api_pool, http_api_event
from report_tracker.models.archive import UploadStatus
from report_tracker.services.factory import stores
from report_tracker.services.ingest import IngestService, ObjectEvent
from tests.conftest import SAMPLES
from tests.e2e.conftest import get_json, path, poll

pytestmark = pytest.mark.e2e


def test_sixteen_concurrent_writers_get_sixteen_contiguous_versions() -> None:
    # Sixteen Lambda containers each committing a different text of one report at once.
    with LocalStack(dispatch=False) as running:
        settings = IngestSettings(
            raw_bucket=running.raw_bucket,
            archive_bucket=running.provisioned.buckets["ArchiveBucket"],
            table_name=running.provisioned.tables["ArchiveTable"],
            endpoint_url=running.aws_endpoint,
        )
        s3 = running.client("s3")
        key = "inbox/并发镇/2024/report.txt"
        base = (SAMPLES / "qingshi-2024.txt").read_text(encoding="utf-8").replace("青石镇", "并发镇")
        puts = [
            s3.put_object(
                Bucket=running.raw_bucket, Key=key, Body=base.replace("120场", f"{200 + i}场").encode()
            )
            for i in range(16)
        ]
        outcomes: list[Any] = []
        barrier = threading.Barrier(16)

        def writer(put: dict[str, Any]) -> None:
            raw, archive, table = stores(settings)
            service = IngestService(raw, archive, table, max_upload_bytes=settings.max_upload_bytes)
            barrier.wait()
            event = ObjectEvent("ObjectCreated:Put", running.raw_bucket, key, version_id=put["VersionId"])
            outcomes.append(service.handle(event))

        threads = [threading.Thread(target=writer, args=(p,)) for p in puts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _, _, table = stores(settings)
        numbers = sorted(v.version for v in table.list_versions("并发镇", 2024, "rule_of_law_annual"))
        assert numbers == list(range(1, 17))
        assert sorted(o.version for o in outcomes) == list(range(1, 17))
        assert all(o.status == UploadStatus.STORED for o in outcomes)


def test_cold_api_environments_started_at_once_answer_like_a_warm_one() -> None:
    # A page's first requests land on environments that start together (the viewer asks for a
    # comparison, the templates and the versions at once). Two environments building their request
    # models at the same moment once lost a query parameter: 422 "query.year: Field required".
    with LocalStack() as running:
        upload_samples(running)
        yoy = f"{path('entities', '青石镇', 'yoy')}?year=2024"
        poll(lambda: get_json(f"{running.api_url}/{yoy}")[0] == 200, timeout=60)
        routes = [
            "/" + yoy,
            "/" + path("entities", "青石镇", "timeline"),
            "/" + path("entities", "青石镇", "reports", "2024", "versions"),
            f"/years/2024/templates?entity={path('青石镇')}",
        ]
        answers: list[tuple[str, int, str]] = []
        for _ in range(12):
            pool = api_pool(running.root)  # every environment cold
            barrier = threading.Barrier(8)

            def ask(route: str, pool: Any = pool, barrier: threading.Barrier = barrier) -> None:
                barrier.wait()
                with pool.lease() as module:
                    event = http_api_event("GET", route, {}, b"", "127.0.0.1")
                    result = module.lambda_handler(event, FakeContext("ApiFunction", 29))
                answers.append((route, result["statusCode"], str(result.get("body"))[:200]))

            threads = [threading.Thread(target=ask, args=(routes[i % 4],)) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert len(answers) == 96
        assert [a for a in answers if a[1] != 200] == []
