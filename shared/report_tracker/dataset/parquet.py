"""Rows to Parquet and SQL over Parquet files, with DuckDB (in-process, no server)."""

from __future__ import annotations

import json
import tempfile
import threading
from pathlib import Path
from typing import Any

from report_tracker.dataset.schema import PARTITIONS, TABLES

_PARTITION_NAMES = {name for name, _ in PARTITIONS}


_LOCAL = threading.local()


def _writer() -> Any:
    """This thread's DuckDB connection for writing files (opening one costs ~20 ms: one per
    thread, kept, rather than one per file)."""
    con = getattr(_LOCAL, "con", None)
    if con is None:
        con = _LOCAL.con = _connect()
    return con


def _connect() -> Any:
    import duckdb  # noqa: PLC0415 - ~60 MB of native code, loaded only where the dataset is written or read

    # Lambda gives no HOME and a read-only working directory: DuckDB's home (extensions) and
    # spill space go under the temporary directory.
    scratch = Path(tempfile.gettempdir()) / "duckdb"
    scratch.mkdir(exist_ok=True)
    con = duckdb.connect(":memory:", config={"home_directory": str(scratch), "temp_directory": str(scratch)})
    con.execute("SET enable_progress_bar = false")
    return con


def to_parquet(table: str, rows: list[dict[str, Any]]) -> bytes:
    """One Parquet file of ``rows`` with the table's declared columns and types.

    Partition columns (review_year, level) are left out of the file: they are its path, as
    Hive-partitioned datasets are read by Athena and DuckDB.
    """
    columns = [c for c in TABLES[table] if c.name not in _PARTITION_NAMES]
    spec = ", ".join(f"'{c.name}': '{c.type}'" for c in columns)
    with tempfile.TemporaryDirectory(prefix="dataset-") as tmp:
        source, target = Path(tmp) / "rows.jsonl", Path(tmp) / "rows.parquet"
        with source.open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({c.name: row.get(c.name) for c in columns}, ensure_ascii=False))
                out.write("\n")
        _writer().execute(
            f"COPY (SELECT * FROM read_json('{source}', format='newline_delimited', columns={{{spec}}})) "  # noqa: S608 - paths and names are ours
            f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
        )
        return target.read_bytes()


def tables_in(root: Path) -> list[str]:
    return [t for t in TABLES if any((root / t).rglob("*.parquet"))]


def sql(root: Path, query: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run ``query`` over the dataset under ``root`` (one view per table); column names and rows."""
    con = _connect()
    try:
        for table in tables_in(root):
            pattern = str(root / table / "**" / "*.parquet")
            con.execute(
                f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "  # noqa: S608
                "union_by_name = true)"
            )
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description or []]
        return names, cursor.fetchall()
    finally:
        con.close()
