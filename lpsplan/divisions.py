"""China's administrative divisions (provinces, prefecture-level cities, counties and districts)
and where a plan's text names them.

The list is the one the ``cpca`` package ships (``cpca/resources/adcodes.csv``: the national
administrative division codes with their names); it is read as a data file, without importing
``cpca`` itself.  A division's parent follows from its code (``370481`` 滕州市 → ``370400``
枣庄市 → ``370000`` 山东省).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from .errors import ConfigError

# longest first: 甘南藏族自治州 → 甘南, 广西壮族自治区 → 广西, 张家川回族自治县 → 张家川
SUFFIXES = sorted([
    "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市", "地区", "盟",
    "自治州", "自治县", "自治旗", "新区", "林区", "特区", "县", "区", "旗",
], key=len, reverse=True)
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "city"
        return "county"

    @property
    def short(self) -> str:
        """The name without its administrative suffix (and the nations of an autonomous area)."""
        name = _nations().sub("", self.name)
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                return name[: -len(suffix)]
        return name

    @property
    def suffix(self) -> str:
        return self.name[len(self.short):] if self.name.startswith(self.short) else ""


def _data(name: str) -> str:
    import importlib.metadata

    try:
        path = importlib.metadata.distribution("cpca").locate_file(f"cpca/resources/{name}")
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (importlib.metadata.PackageNotFoundError, OSError) as exc:
        raise ConfigError(f"the list of administrative divisions (package cpca) cannot be read: {exc}") from None


@functools.lru_cache(maxsize=1)
def _nations() -> re.Pattern[str]:
    """The nations an autonomous area's name carries (甘南藏族自治州): dropped from its short name."""
    names = sorted({n.strip() for n in re.split(r"[,\n]", _data("56_nations.csv")) if n.strip().endswith("族")}, key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, names)) + ")+(?=自治[州县旗区])")


@functools.lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Every division by its six-digit code."""
    import io

    rows = csv.DictReader(io.StringIO(_data("adcodes.csv")))
    return {r["adcode"][:6]: Division(r["adcode"][:6], r["name"]) for r in rows if r["name"] not in PLACEHOLDERS}


def parent(division: Division) -> Division | None:
    table = divisions()
    if division.level == "county":
        return table.get(division.code[:4] + "00") or table.get(division.code[:2] + "0000")
    if division.level == "city":
        return table.get(division.code[:2] + "0000")
    return None


def lineage(division: Division) -> list[Division]:
    """The division and the divisions it lies in, innermost first."""
    out = [division]
    while (up := parent(out[-1])) is not None:
        out.append(up)
    return out


@functools.lru_cache(maxsize=1)
def _index() -> tuple[dict[str, list[Division]], re.Pattern[str]]:
    names: dict[str, list[Division]] = {}
    for d in divisions().values():
        names.setdefault(d.name, []).append(d)
        if len(d.short) >= 2:
            names.setdefault(d.short, []).append(d)
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return names, pattern


def places_in(text: str) -> list[tuple[int, int, list[Division]]]:
    """Division names in ``text``, longest first at each position, with every division the name
    may stand for.  A short form (广西, 滕州) counts at the start of the text or before another
    place's name; elsewhere two characters such as 和平 or 新城 are too often ordinary words.  A short
    form before the words of a 街道/镇/乡/社区/村 (西山街道) names that place, not a county."""
    names, pattern = _index()
    out = []
    for m in pattern.finditer(text):
        found = [d for d in names[m.group()] if d.name == m.group()]
        if found and m.group() in GENERIC_SHORT and not (m.start() == 0 or (out and out[-1][1] == m.start())):
            found = []  # 全国文明城区, 中心城区: a kind of area inside a word, not 晋城's or 阳泉's 城区 (阳泉市城区 still is)
        town = TOWN_RE.match(text, m.end())  # 西山街道: a 街道 named 西山, not a county
        if (not found and not town and (m.start() == 0 or (out and out[-1][1] == m.start()) or pattern.match(text, m.end()))
                and not _in_a_word(text, m.start(), m.end())):
            found = names[m.group()]
        if found:
            out.append((m.start(), m.end(), found))
    return out


def _in_a_word(text: str, start: int, end: int) -> bool:
    """A short form that begins a longer word of the dictionary, as written here (安居乐业: 安居 and 乐业 are districts'
    short names side by side, and the idiom "live in peace"): an ordinary word, not two places.  A run of places the
    dictionary happens to hold (广西南宁, counted 3 times) stays places: the word must be a common one."""
    from .segment import frequency

    return any(frequency(text[start:k]) >= WORD_OVER_PLACES for k in range(end + 1, min(len(text), start + 8) + 1))


def place_at_start(name: str) -> tuple[str, list[Division]] | None:
    """The division a unit's name starts with (六盘水市科学技术局 → 六盘水市), if any."""
    names, pattern = _index()
    m = pattern.match(name)
    return (m.group(), names[m.group()]) if m else None


# Short forms that are ordinary words of a unit's name: 东乡族自治县 and 鄂温克族自治旗 shorten to 自治,
# which every 自治区财政厅 starts with; 新区, 开发区 and the like name a kind of area, not a place.
# jieba's dictionary frequency from which a division's short name is taken for an ordinary word when the text only
# repeats it (新建 1000, 和平 7998, 胜利 8904; place names such as 杨浦 26, 普陀 81, 滨江 26, 东城 593 stay below)
ORDINARY_WORD = 900
# jieba's dictionary frequency from which a word that starts with a short name, written out in the text, is read as that
# word rather than as places side by side (安居乐业 112, 和平共处 262; 广西南宁 3)
WORD_OVER_PLACES = 20
GENERIC_SHORT = frozenset({"自治", "新区", "开发区", "高新区", "经开区", "园区", "城区", "郊区", "矿区", "林区", "特区", "地区"})
# Short names that are words of a plan's text about parts of a town (城东 "east of the town", 新城 "the new town", 市中 "the
# city centre") though jieba's dictionary counts them below ORDINARY_WORD: repeating one says nothing of the plan's own
# division either (the ordinary words above it, 新建 "to build new", 和平, 解放, 城中, 城北, need no listing)
ORDINARY_SHORT = frozenset({"新城", "城东", "城西", "市中"})
# After a short form, the words of a place below the county (a 街道, 镇, 乡, 社区 or 村): 西山街办 is a
# 街道 named 西山, not 昆明's 西山区; 城关镇 is no county at all.
TOWN_RE = re.compile(r"街道|街办|办事处|镇(?!化)|乡(?![村镇土])|社区|村(?![级镇])")


@dataclass(frozen=True)
class UnitPlace:
    """The place a unit's name starts with, as resolved for a plan: ``written`` is the matched text,
    ``division`` the division it stands for, ``inside`` whether that lies in the plan's hierarchy."""
    written: str
    division: Division
    inside: bool


def in_hierarchy(candidate: Division, jurisdiction: Division) -> bool:
    """The jurisdiction itself, a division it lies in (its city, its province) or one inside it."""
    return (candidate.code in {a.code for a in lineage(jurisdiction)}
            or jurisdiction.code in {a.code for a in lineage(candidate)})


def unit_place(name: str, jurisdiction: Division | None) -> UnitPlace | None:
    """The division a unit's name starts with, resolved within the plan's ``jurisdiction``:

    - a name several divisions share stands for the one in the plan's hierarchy (朝阳区 in a 北京
      plan is Beijing's, in a 朝阳市 plan the city's own district is not meant unless it is in it);
    - a short form that names a place only outside that hierarchy is an ordinary part of the name,
      not a place (西山街办 in a 鄂州 plan: None) — so is a generic word (自治, 新区) and a short form
      followed by the words of a 街道/镇/乡/社区/村;
    - a full name (昆明市…) found only outside is returned with ``inside`` False: the text names
      another division itself; callers keep such a unit as written and never expand it.

    Without a jurisdiction every division counts as inside, the highest level first."""
    at = place_at_start(name)
    if at is None:
        return None
    matched, candidates = at
    full = [d for d in candidates if d.name == matched]
    if not full and (matched in GENERIC_SHORT or TOWN_RE.match(name, len(matched))):
        return None
    pool = full or candidates
    if jurisdiction is None:
        return UnitPlace(matched, choose(pool, []), True)
    inside = [d for d in pool if in_hierarchy(d, jurisdiction)]
    if inside:
        return UnitPlace(matched, choose(inside, [jurisdiction]), True)
    if not full:
        return None
    return UnitPlace(matched, choose(full, []), False)


def choose(candidates: list[Division], context: list[Division]) -> Division:
    """One of the divisions a name may stand for: the one inside a division the text also names,
    else the highest level (a short name such as 广西 stands for the region before any county)."""
    codes = {c.code for c in context}
    inside = [d for d in candidates if any(a.code in codes for a in lineage(d)[1:])]
    pool = inside or candidates
    order = {"province": 0, "city": 1, "county": 2}
    return min(pool, key=lambda d: (order[d.level], d.code))


# a short name followed by its level's word (楚雄州, 临夏州, 荆州市): of the divisions it may stand for, that level's
LEVEL_WORD_RE = re.compile(r"州|市|县|区|旗|盟")


def _of_level(candidates: list[Division], text: str, end: int) -> list[Division]:
    """Of the divisions a short name may stand for, those whose own name ends in the level word written after it
    (楚雄州人民政府: 楚雄彝族自治州, not 楚雄市); all of them where none does or no such word follows."""
    word = LEVEL_WORD_RE.match(text, end)
    if word is None or len(candidates) < 2:
        return candidates
    level = word.group()  # 州 names an autonomous prefecture too (楚雄州: 楚雄彝族自治州); 市, 县, 区 not an autonomous one
    of_level = [d for d in candidates if (d.name.endswith(level) and not d.name.endswith("自治" + level))
                or (level == "州" and d.name.endswith("自治州"))]
    return of_level or candidates


def jurisdiction_in(texts: list[str]) -> Division | None:
    """The jurisdiction a plan is for: the first division named in its title, else in the
    issuers' names, … (``texts`` in that order of trust).  None when no text names one."""
    for text in texts:
        found = places_in(text or "")
        if not found:
            continue
        # the innermost division of the first run of names: 金华市婺城区 → 婺城区
        _first_start, first_end, first = found[0]
        # the divisions the other names stand for (not this name's own: 荆州's 荆州区 lies in 荆州市, both 荆州)
        context = [d for _, _, ds in found[1:] for d in ds if d not in first]
        first = _of_level(first, text, first_end)
        best = choose(first, context)
        end = first_end
        for start, stop, ds in found[1:]:
            if start != end:
                break
            inner = [d for d in ds if best.code in {a.code for a in lineage(d)}]
            if not inner:
                break
            best, end = inner[0], stop
        return best
    return None


def repeated_place(text: str, level: str, times: int = 2) -> Division | None:
    """The one division of ``level`` (区, 县, 市 …) whose short name ``text`` repeats ``times`` or more
    (杨浦 … 杨浦 in a plan whose title says only 区委、区政府): None when there is none, or more than one,
    or the name stands for several divisions.  Generic words, ordinary words (新建) and names of a 街道/镇 do not count."""
    import collections

    from .segment import frequency

    names, pattern = _index()
    counts: collections.Counter[str] = collections.Counter()
    for m in pattern.finditer(text):
        word = m.group()
        full = [d for d in names[word] if d.name == word]
        if full or word in GENERIC_SHORT or word in ORDINARY_SHORT or TOWN_RE.match(text, m.end()):
            continue
        counts[word] += 1
    # a short name that is also an ordinary word (新建 "build new", 胜利, 前进, 和平, 光明: jieba's dictionary counts
    # them ORDINARY_WORD times or more) is no evidence of the place: 新建教学综合楼 twice would make a plan 新建区's
    counts = collections.Counter({w: n for w, n in counts.items() if frequency(w) < ORDINARY_WORD})
    found = []
    for word, n in counts.items():
        of_level = [d for d in names[word] if d.name.endswith(level) and not d.name.endswith("自治" + level)]
        if n >= times and len(names[word]) == 1 and of_level:
            found.append(of_level[0])
    if len(found) > 1:  # 杨浦 and 滨江 (a riverside, or 杭州's district): the one inside a place the text also names (上海)
        context = {d.code for m in pattern.finditer(text) for d in names[m.group()]}
        found = [d for d in found if any(a.code in context for a in lineage(d)[1:])]
    return found[0] if len(found) == 1 else None
