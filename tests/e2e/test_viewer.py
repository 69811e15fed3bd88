"""The viewer in headless Chromium against the embedded stack: a person's path, with screenshots."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from report_tracker.local.samples import upload_samples
from report_tracker.local.stack import LocalStack
from tests.conftest import ROOT, SAMPLES
from tests.e2e.conftest import get_json, path, poll

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = ROOT / "test-artifacts"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it as root)"
    ),
]


def _print_failure(response: Any) -> None:
    if response.ok or response.status == 304:
        return
    try:
        body = response.text()[:500]
    except Exception as exc:  # a diagnostic must not fail the test itself
        body = f"(body unreadable: {exc})"
    print(f"viewer got {response.status} for {response.url}: {body}")


def new_page(browser: Any, **options: Any) -> Any:
    """A page that waits long enough for a yoy view computing comparisons while CI runs in parallel."""
    page = browser.new_page(**options)
    page.set_default_timeout(90_000)
    # What went wrong, printed with a failing test: answers that were not OK and script errors.
    page.on("response", _print_failure)
    page.on("pageerror", lambda exc: print(f"viewer script error: {exc}"))
    return page


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    with LocalStack() as running:
        upload_samples(running)
        hostile = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8").replace("白沙乡", "黑石乡")
        hostile = hostile.replace(
            "配强法治工作力量。",
            "配强法治工作力量。<script>window.pwned=1</script><img src=x onerror=window.pwned=2>",
        )
        running.client("s3").put_object(
            Bucket=running.raw_bucket, Key="inbox/黑石乡/2024/report.txt", Body=hostile.encode("utf-8")
        )
        poll(
            lambda: get_json(f"{running.api_url}/{path('entities', '青石镇', 'yoy')}?year=2024")[0] == 200,
            timeout=30,
        )
        poll(
            lambda: get_json(
                f"{running.api_url}/{path('entities', '青石镇', 'reports', '2024', 'versions')}"
            )[1].get("items", [None, None])[1:],
            timeout=30,
        )
        poll(
            lambda: get_json(f"{running.api_url}/{path('entities', '黑石乡', 'reports', '2024')}")[0] == 200,
            timeout=30,
        )
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield launched
        launched.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_entity_to_promises_to_diff(stack: LocalStack, browser: Any) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(stack.api_url + "/")
    # A person finds the township in the list and opens it
    page.get_by_role("link", name="青石镇").click()
    page.get_by_role("link", name="Commitments for 2024").wait_for()
    assert "云岭县" in page.inner_text("main")
    shot(page, "entity")
    # The year-over-year page shows the statuses (91% against 95%以上 is partial: within a tenth)
    # and the evidence quoted beside them
    page.get_by_role("link", name="Commitments for 2024").click()
    page.locator("tr.commitment").first.wait_for()
    statuses = page.locator("tr.commitment .badge").evaluate_all("nodes => nodes.map(n => n.dataset.status)")
    assert set(statuses) == {"fulfilled", "partial", "not_reported"}
    assert set(page.locator("tr.commitment .badge").all_inner_texts()) == {
        "fulfilled",
        "partly done",
        "not reported",
    }
    text = page.inner_text("main")
    assert (
        "80场以上" in text and "100场" in text and "91%" in text
    )  # the latest version (revised) reviews 2024
    assert page.locator("blockquote.evidence").count() >= 4
    # Text shared with the other townships' reports of the year is measured beside it
    page.locator("#templates h2").wait_for()
    assert "Shared with other entities' 2024 reports" in page.inner_text("#templates")
    shot(page, "yoy")
    # Back to the township, into the 2024 report, and to the diff of its two versions
    page.go_back()
    page.get_by_role("link", name="2024 report").click()
    # The report says whose reports of the year share its passages (none among the samples)
    page.locator("#recycled h2").wait_for()
    assert "No passage found in another entity's report" in page.inner_text("#recycled")
    page.get_by_role("link", name="diff v1→v2").click()
    page.locator("ins").first.wait_for()
    main = page.inner_text("main")
    assert "figure" in main and "120场 → 100场" in main and "hedging" in main
    assert page.locator("del").count() >= 1
    shot(page, "diff-inline")
    page.get_by_role("button", name="side by side").click()
    assert page.locator(".sbs").is_visible()
    shot(page, "diff-side-by-side")
    assert not errors


def test_phone_width_is_readable(stack: LocalStack, browser: Any) -> None:
    page = new_page(browser, viewport={"width": 390, "height": 844})
    page.goto(stack.api_url + "/#/e/" + "青石镇" + "/yoy/2024")
    page.locator("tr.commitment").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400  # no horizontal scrolling on a phone
    shot(page, "yoy-phone")
    # The charts of an entity fit the phone too
    page.goto(stack.api_url + "/#/e/青石镇")
    page.wait_for_function("() => window.Chart && Chart.getChart('outcomes')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    assert page.evaluate("document.getElementById('outcomes').getBoundingClientRect().width") <= 390
    shot(page, "entity-phone")


def test_report_text_never_runs(stack: LocalStack, browser: Any) -> None:
    page = new_page(browser)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(stack.api_url + "/#/e/黑石乡/r/2024")
    # The copied passages (#recycled, folded) come before the sections: wait for the item itself
    page.locator("main li").filter(has_text="配强法治工作力量").first.wait_for()
    # A copy of 白沙乡's report: the passages they share unfold under the partner's name
    page.locator("#recycled summary").filter(has_text="白沙乡").first.click()
    page.locator("#recycled mark").filter(has_text="配强法治工作力量").first.wait_for()
    assert page.evaluate("window.pwned") is None
    assert "<script>" in page.inner_text("main")
    assert not dialogs
    shot(page, "hostile-report")


def test_api_pages_send_security_headers(stack: LocalStack) -> None:
    import urllib.request

    with urllib.request.urlopen(stack.api_url + "/") as resp:
        csp = resp.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp
        assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_full_text_search_highlights_and_leads_to_the_report(stack: LocalStack, browser: Any) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(stack.api_url + "/")
    # A person searches the report text for a phrase, with no spaces around it
    page.fill("#fulltext", "法治宣传活动")
    page.locator("#hits li.hit").first.wait_for()
    marks = page.locator("#hits mark").all_inner_texts()
    assert marks and set(marks) == {"法治宣传活动"}
    assert page.locator("#hits li.hit").count() >= 2
    shot(page, "search")
    # A hostile report's text is found as text and never runs
    page.fill("#fulltext", "window.pwned")
    page.get_by_text("黑石乡 2024").wait_for()
    assert "<script>" in page.inner_text("#hits") and page.locator("#hits li.hit").count() == 1
    assert page.evaluate("window.pwned") is None
    # The hit opens the report, which offers its exports
    page.locator("#hits li.hit a").first.click()
    page.get_by_role("link", name="csv").wait_for()
    href = page.get_by_role("link", name="md").get_attribute("href")
    assert href is not None and "/export?" in href and "format=md" in href


def test_a_held_upload_is_explained_and_filed_from_the_viewer(stack: LocalStack, browser: Any) -> None:
    # Given 白沙乡's report, its plans heading gone, uploaded under another township's folder
    text = (SAMPLES / "baisha-2024.txt").read_text(encoding="utf-8")
    text = text.replace("三、下一步工作打算", "三、其他工作情况")
    key = "inbox/紫藤镇/2024/report.txt"
    stack.client("s3").put_object(Bucket=stack.raw_bucket, Key=key, Body=text.encode("utf-8"))
    poll(
        lambda: any(
            u["raw"]["key"] == key
            for u in get_json(f"{stack.api_url}/uploads?status=identity_conflict&limit=100")[1]["items"]
        ),
        timeout=30,
    )
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(stack.api_url + "/")
    # A person follows the link to the uploads that wait, and sees why this one waits
    page.get_by_role("link", name="Uploads waiting for a person", exact=False).click()
    held = page.locator("li.held", has_text=key)
    held.wait_for()
    assert "紫藤镇" in held.inner_text() and "The text may be from: 白沙乡" in held.inner_text()
    shot(page, "held-uploads")
    # Confirming the folder's name files it
    held.locator("input[name=confirm]").check()
    held.get_by_role("button", name="file it").click()
    held.get_by_text("stored as version 1").wait_for()
    # The filed report says which part it lacks, in words
    page.goto(stack.api_url + "/#/e/紫藤镇/r/2024")
    page.locator("ul.missing").wait_for()
    assert "No plans section found" in page.inner_text("ul.missing")
    assert not errors


def test_evidence_links_open_the_quoted_passage(stack: LocalStack, browser: Any) -> None:
    page = new_page(browser, viewport={"width": 1280, "height": 900})
    page.goto(stack.api_url + "/#/e/青石镇/yoy/2024")
    first = page.locator("blockquote.evidence").first
    first.wait_for()
    quoted = first.evaluate("node => node.firstChild.textContent")
    # A person follows the citation under a quoted passage
    first.locator("a.cite").click()
    page.locator("#cited").wait_for()
    # It opens that version of the later report, the passage marked in its context
    assert page.inner_text("#cited") == quoted
    assert "version" in page.inner_text("main")
    shot(page, "cited-passage")


def test_chinese_first_with_charts_and_english_one_click_away(stack: LocalStack, browser: Any) -> None:
    # A browser that prefers Chinese gets the viewer in Chinese
    page = new_page(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(stack.api_url + "/#/e/青石镇")
    page.get_by_role("link", name="2024 年承诺").wait_for()
    main = page.inner_text("main")
    assert "历年报告" in main and "法治政府建设年度报告" in main and "rule_of_law_annual" not in main
    # The outcomes per plan year are a chart, with one point per year compared, and a table beside it
    timeline = get_json(f"{stack.api_url}/{path('entities', '青石镇', 'timeline')}")[1]
    page.locator("figure[data-chart=outcomes] canvas").wait_for()
    page.wait_for_function("() => window.Chart && Chart.getChart('outcomes')")
    points = page.evaluate("Chart.getChart('outcomes').data.datasets.map(d => d.data.length)")
    assert points == [len(timeline["commitments"])] * 4
    drawn = page.evaluate(
        "Chart.getChart('outcomes').data.datasets.map(d => d.data.reduce((a, b) => a + b, 0))"
    )
    summed = [
        sum(y["summary"].get(s, 0) for y in timeline["commitments"])
        for s in ("fulfilled", "partial", "missed", "not_reported")
    ]
    assert drawn == summed
    assert (
        page.locator("figure[data-chart=outcomes] details table tr").count()
        == len(timeline["commitments"]) + 1
    )
    shot(page, "entity-zh")
    # The verdicts are in words; the raw value is the tooltip
    page.get_by_role("link", name="2024 年承诺").click()
    page.locator("tr.commitment").first.wait_for()
    words = set(page.locator("tr.commitment .badge").all_inner_texts())
    assert words == {"已完成", "部分完成", "未提及"}
    assert page.locator("tr.commitment .badge").first.get_attribute("title") in {
        "fulfilled",
        "partial",
        "not_reported",
    }
    csv_link = page.locator("a.csv").first.get_attribute("href")
    assert csv_link is not None and "format=csv" in csv_link and "lang=zh" in csv_link
    shot(page, "yoy-zh")
    # One click to English, and the choice is remembered
    page.locator("#lang").click()
    page.get_by_role("link", name="← 青石镇").wait_for()
    assert "what the next report says" in page.inner_text("main")
    page.reload()
    page.locator("tr.commitment").first.wait_for()
    assert "partly done" in page.inner_text("main")
    shot(page, "yoy-en")
    assert not errors
