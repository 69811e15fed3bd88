"""Dataset rows and files, without AWS: fingerprints, provinces, Parquet typed by the schema."""

from __future__ import annotations

from pathlib import Path

from report_tracker.dataset.parquet import sql, to_parquet
from report_tracker.dataset.rows import fingerprint, province
from report_tracker.dataset.schema import TABLES


def test_a_template_sentence_has_one_fingerprint_whatever_its_figures_and_names() -> None:
    a = fingerprint("青石镇共开展法治宣传活动12场，覆盖群众3000余人次。", "青石镇")
    b = fingerprint("白沙镇共开展法治宣传活动9场，覆盖群众2000余人次。", "白沙镇")
    c = fingerprint("白沙共开展法治 宣传活动9场，覆盖群众2000余人次。", "白沙镇")  # short name, a stray space
    assert a == b == c
    assert a != fingerprint("青石镇共开展普法讲座12场，覆盖群众3000余人次。", "青石镇")


def test_the_province_of_a_government() -> None:
    assert province("粤海街道", "town", ["广东省", "深圳市", "南山区"]) == "广东省"
    assert province("古龙镇", "town", ["重庆市", "大足区"]) == "重庆市"
    assert province("湖南省", "province", []) == "湖南省"
    assert province("小站镇", "town", ["津南区"]) is None  # the text names only the district
    assert province("唐家镇", "town", []) is None


def test_parquet_files_keep_the_declared_types(tmp_path: Path) -> None:
    row = {name.name: None for name in TABLES["problems"]}
    row.update({"entity": "青石镇", "region": ["云岭县"], "run_years": [2023, 2024], "run_length": 2,
                "similarity": 0.75, "status": "recurring", "version": 3})  # fmt: skip
    folder = tmp_path / "problems" / "review_year=2024" / "level=town"
    folder.mkdir(parents=True)
    (folder / "x.parquet").write_bytes(
        to_parquet("problems", [row, {**row, "entity": "白沙乡", "region": []}])
    )
    names, rows = sql(tmp_path, "SELECT entity, region, run_years, similarity, review_year, level, typeof(version) "
                      "FROM problems ORDER BY entity")  # fmt: skip
    assert names[:4] == ["entity", "region", "run_years", "similarity"]
    assert rows == [
        ("白沙乡", [], [2023, 2024], 0.75, 2024, "town", "INTEGER"),
        ("青石镇", ["云岭县"], [2023, 2024], 0.75, 2024, "town", "INTEGER"),
    ]
