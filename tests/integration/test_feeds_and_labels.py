"""Atom feeds of new reports and versions; the one label catalogue behind the viewer and exports;
the OpenAPI contract clients script against."""

from __future__ import annotations

import csv
import io
import json
import re
from urllib.parse import quote

import feedparser

from report_tracker.api.app import create_app
from report_tracker.api.labels import LANGUAGES, catalogue, label, preferred, reason_words
from report_tracker.models.archive import UploadStatus
from report_tracker.models.report import DocType, ItemKind, SectionKind
from report_tracker.models.tracking import CommitmentStatus, ProblemStatus
from tests.conftest import ROOT
from tests.integration.conftest import Aws, unique
from tests.integration.test_ingest import sample

STATIC = ROOT / "shared" / "report_tracker" / "api" / "static"


def test_entity_feed_lists_each_new_report_and_version_once(aws: Aws) -> None:
    entity = unique("订阅")
    aws.upload(f"inbox/{entity}/2023/a.txt", sample(entity, year=2023))
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity, edit="法治宣传活动90场"))

    status, headers, body = aws.get(f"/entities/{entity}/feed", {"host": "archive.example"})
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and entity in feed.feed.title
    titles = [e.title for e in feed.entries]
    assert len(titles) == 3 and sum("新版本 v2" in t for t in titles) == 1
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == 3
    # the new version links to its diff in the viewer, on the host the client asked
    (edited,) = [e for e in feed.entries if "v2" in e.title]
    assert edited.link == f"https://archive.example/#/e/{quote(entity)}/r/2024/diff/1/2"
    # fetched again: the same ids (a reader shows nothing twice)
    again = feedparser.parse(aws.get(f"/entities/{entity}/feed", {"host": "archive.example"})[2])
    assert [e.id for e in again.entries] == ids
    assert aws.get(f"/entities/{unique('无此')}/feed")[0] == 404


def test_the_archive_feed_starts_with_the_newest_filing(aws: Aws) -> None:
    entity = unique("全站")
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    status, _, body = aws.get("/feed")
    feed = feedparser.parse(body)
    assert status == 200 and not feed.bozo and feed.entries
    assert entity in feed.entries[0].title


def test_every_raw_value_has_words_in_both_languages() -> None:
    groups = {
        "status": CommitmentStatus,
        "problem_status": ProblemStatus,
        "doc_type": DocType,
        "section_kind": SectionKind,
        "item_kind": ItemKind,
        "upload_status": UploadStatus,
    }
    labels = catalogue()
    for lang in LANGUAGES:
        for group, enum in groups.items():
            missing = {v.value for v in enum} - set(labels[lang][group])
            assert not missing, f"{lang}.{group} lacks {missing}"
    assert label("zh", "status", "not_reported") == "未提及"
    assert label("zh", "doc_type", "rule_of_law_annual") == "法治政府建设年度报告"
    assert reason_words("zh", "figure met: 120场 against 80场以上") == "指标已达到: 120场 against 80场以上"
    assert set(labels["zh"]["ui"]) == set(labels["en"]["ui"])


def test_every_phrase_the_viewer_uses_is_in_the_catalogue() -> None:
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    used = set(re.findall(r"""\bt\("(\w+)"[,)]""", script))
    assert len(used) > 60
    for lang in LANGUAGES:
        assert not used - set(catalogue()[lang]["ui"]), f"{lang} lacks {used - set(catalogue()[lang]['ui'])}"
    # every placeholder a phrase has in one language it has in the other
    for key, zh in catalogue()["zh"]["ui"].items():
        assert set(re.findall(r"\{(\w+)\}", zh)) == set(
            re.findall(r"\{(\w+)\}", catalogue()["en"]["ui"][key])
        ), key


def test_languages_asked_for_by_accept_language() -> None:
    assert preferred("zh-CN,zh;q=0.9,en;q=0.8") == "zh"
    assert preferred("en-US,en;q=0.9,zh-CN;q=0.5") == "en"
    assert preferred("fr-FR, zh;q=0.4") == "zh"
    assert preferred("de, fr") is None and preferred(None) is None
    assert preferred("zh;q=0, en") == "en"


def test_the_yoy_csv_says_each_status_in_words(aws: Aws) -> None:
    entity = unique("词表")
    aws.upload(f"inbox/{entity}/2023/a.txt", sample(entity, year=2023))
    aws.upload(f"inbox/{entity}/2024/a.txt", sample(entity))
    status, headers, text = aws.get(f"/entities/{entity}/yoy?year=2024&format=csv")
    assert status == 200 and text.startswith("\ufeff") and "attachment" in headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows and all(r["status_words"] == label("zh", "status", r["status"]) for r in rows)
    status, _, timeline = aws.get(f"/entities/{entity}/timeline?format=csv&lang=en")
    assert status == 200 and "commitments" in timeline


def test_openapi_is_the_contract_clients_know() -> None:
    # Paths, methods, operation ids and schema names as clients generated them before the API was
    # split into routers (tests/fixtures/openapi-contract.json); a change here is a change for them.
    app = create_app(lambda: None)  # type: ignore[arg-type,return-value]
    spec = json.loads(app.get_openapi_json_schema(title="t", version="1"))
    contract = {
        "paths": {
            path: {method: op["operationId"] for method, op in sorted(ops.items())}
            for path, ops in sorted(spec["paths"].items())
        },
        "schemas": sorted(spec["components"]["schemas"]),
    }
    expected = json.loads((ROOT / "tests" / "fixtures" / "openapi-contract.json").read_text(encoding="utf-8"))
    assert contract == expected
    assert not [n for n in contract["schemas"] if "report_tracker" in n or "__" in n]
