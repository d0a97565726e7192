"""The full name of a unit a plan writes in short, within the plan's own jurisdiction.

A plan says 市科技局 and means its own city's bureau: in a 滕州市 plan that is 滕州市科学技术局,
never another city's.  The level word (省 / 自治区 / 州 / 市 / 区 / 县) picks the division of the
plan's jurisdiction or of those it lies in (省科技厅 in a 滕州 plan → 山东省科学技术厅); the
department's short name is expanded from ``data/registry/department-names.yaml``.  Collectives
(各县市区, 市级有关部门) and names that already start with a place keep their written form; a place is
read within the plan's hierarchy (``divisions.unit_place``): 西山街办 in a 鄂州 plan names a 街道, not
昆明's 西山区, and a unit the text itself places in another division is kept as written, never expanded.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from .divisions import Division, lineage, unit_place

LEVEL_RE = re.compile(r"^(自治区|省|自治州|州|盟|市|区|县|旗)(?!级|直|属|辖)(.+)$")
PARTY_RE = re.compile(r"^(自治区|省|州|市|区|县|旗)(委.*)$")
COLLECTIVE_RE = re.compile(r"^各|有关|相关|等$|等部门|等单位|各级")
# 市人民银行 / 县城投集团 / 区应急管理局: a level word, then a body the registry does not list — still the plan's own
# (温岭市人民银行), when the rest ends as a body's name does; not 市场监管局, 市民中心, 市政公司, 区域合作办, whose
# first character is no level word
_BODY_END_RE = re.compile(r"(?:局|委|办|中心|集团|公司|银行|院|所|站|队|会|部|处|科|室|馆|社|组)$")
_NOT_A_LEVEL_RE = re.compile(r"^(?:市(?:场|民|政|容|区|郊|县)|区(?:域|块|间|县)|县(?:域|区)|省(?:级|内|外))")


@functools.lru_cache(maxsize=4)
def _names(path: str) -> tuple[dict[str, str], dict[str, str]]:
    from .registry import read_yaml

    doc = read_yaml(Path(path)) or {}
    return dict(doc.get("departments") or {}), dict(doc.get("party") or {})


def _division_for(level: str, division: Division) -> Division | None:
    """The division of the plan's hierarchy a level word refers to: 市 in a 滕州市 plan is 滕州市,
    in a 婺城区 plan 金华市; 省 is the province."""
    chain = lineage(division)
    if level in ("省", "自治区"):
        return chain[-1] if chain[-1].level == "province" else None
    suffix = {"自治州": ("州",), "州": ("州",), "盟": ("盟",), "市": ("市",), "区": ("区",), "县": ("县",), "旗": ("旗",)}[level]
    for d in chain:
        if d.name.endswith(suffix) and not (level == "区" and d.name.endswith("自治区")):
            return d
    return None


def canonical(written: str, division: Division | None, names_file: str | Path) -> str:
    """The unit's full name in the plan's jurisdiction, or its written form when none can be derived."""
    from .registry import fold

    if division is None:
        return written
    name = fold(written)
    departments, party = _names(str(names_file))
    if COLLECTIVE_RE.search(name):
        return written
    at = unit_place(name, division)
    if at is not None:  # 滕州市科技局: the place is written out
        if not at.inside:  # 昆明市科技局 in a 滕州 plan: the text's own naming, kept as written
            return written
        rest = name[len(at.written):]
        return at.written + departments.get(rest, rest) if rest else written
    m = PARTY_RE.match(name)
    if m and (d := _division_for(m.group(1), division)):
        return "中共" + d.name + party.get(m.group(2), m.group(2))
    m = LEVEL_RE.match(name)
    if m and m.group(2) in departments and (d := _division_for(m.group(1), division)):
        return d.name + departments[m.group(2)]
    if (m and name not in departments and len(m.group(2)) >= 2 and _BODY_END_RE.search(m.group(2))
            and not _NOT_A_LEVEL_RE.match(name) and (d := _division_for(m.group(1), division))):
        return d.name + m.group(2)
    if name in departments and name.endswith("厅"):  # 商务厅: a province's department, in the province's plan
        return division.name + departments[name] if division.level == "province" else written
    if name in departments:  # 统计局 after 区发改委、 in a district's table: the plan's own department
        return division.name + departments[name]
    return written
