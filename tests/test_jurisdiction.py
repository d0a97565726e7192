"""A plan's units are placed within its own jurisdiction (written examples; the real corpus is
measured by ``lpsplan.plan_eval``, whose "units of another jurisdiction" uses the same rule)."""

import pytest
from lpsplan.divisions import divisions, in_hierarchy, jurisdiction_in, unit_place
from lpsplan.unitnames import canonical

NAMES = "data/registry/department-names.yaml"


def place(name: str, province: str | None = None):
    from lpsplan.divisions import lineage

    found = [d for d in divisions().values() if d.name == name and (province is None or lineage(d)[-1].name == province)]
    assert len(found) == 1, (name, province, found)
    return found[0]


def test_the_hierarchy_is_the_plan_its_parents_and_what_lies_inside():
    ezhou = place("鄂州市")
    assert in_hierarchy(place("鄂城区"), ezhou) and in_hierarchy(place("湖北省"), ezhou) and in_hierarchy(ezhou, ezhou)
    assert not in_hierarchy(place("西山区"), ezhou) and not in_hierarchy(place("武汉市"), ezhou)
    # a sibling county is outside a county's plan
    assert not in_hierarchy(place("山亭区"), place("滕州市"))  # both in 枣庄


def test_a_street_office_named_like_another_citys_district_is_no_place():
    """鄂州's 西山街办 (a 街道 office) is not 昆明's 西山区: neither as a county (the words of a 街道 follow)
    nor as a place at all (西山 names only a division outside 鄂州)."""
    ezhou = place("鄂州市")
    assert unit_place("西山街办", ezhou) is None
    assert unit_place("西山街办", None) is None
    assert unit_place("西山区科技局", place("昆明市")).division == place("西山区")
    # a short form with no 街道 word after it, found only outside: an ordinary part of the name
    assert unit_place("西山公园管理处", ezhou) is None
    assert canonical("西山街办", ezhou, NAMES) == "西山街办"


@pytest.mark.parametrize("word", ["街道", "街道办事处", "镇人民政府", "乡政府", "社区居委会", "村委会"])
def test_sub_county_words_after_a_short_form(word):
    assert unit_place("朝阳" + word, place("朝阳市")) is None
    assert unit_place("朝阳" + word, None) is None


def test_a_shared_name_resolves_to_the_division_inside_the_plans_jurisdiction():
    """朝阳区 is in 北京 and in 长春; 鼓楼区 in 南京, 福州, 徐州 and 开封."""
    beijing, changchun = place("北京市"), place("长春市")
    assert unit_place("朝阳区发改委", beijing).division.code.startswith("11")
    assert unit_place("朝阳区发改委", changchun).division.code.startswith("2201")
    assert unit_place("鼓楼区科技局", place("福州市")).division.code.startswith("3501")
    assert unit_place("鼓楼区科技局", place("徐州市")).division.code.startswith("3203")
    # and the jurisdiction's own city and province are inside its hierarchy
    assert unit_place("江苏省科技厅", place("徐州市")).inside


def test_a_unit_the_text_places_in_another_division_is_kept_as_written():
    ezhou = place("鄂州市")
    at = unit_place("昆明市科技局", ezhou)
    assert at is not None and not at.inside and at.division == place("昆明市")
    assert canonical("昆明市科技局", ezhou, NAMES) == "昆明市科技局"  # never expanded into 昆明市科学技术局
    assert canonical("鄂州市科技局", ezhou, NAMES) == "鄂州市科学技术局"
    assert canonical("市科技局", ezhou, NAMES) == "鄂州市科学技术局"
    assert canonical("省科技厅", ezhou, NAMES) == "湖北省科学技术厅"


def test_the_jurisdiction_of_a_street_office_is_not_a_county_of_its_name():
    assert jurisdiction_in(["西山街道2023年工作要点"]) is None
    assert jurisdiction_in(["鄂州市西山街道办事处2023年工作要点"]) == place("鄂州市")
    assert jurisdiction_in(["滕州市2023年工作要点"]) == place("滕州市")
    # a place's name before 乡村 (rural) is still the place
    assert jurisdiction_in(["滕州乡村振兴实施方案"]) == place("滕州市")


def test_the_measure_counts_units_placed_outside():
    from lpsplan.plan_eval import _other_jurisdiction

    ezhou = place("鄂州市")
    assert _other_jurisdiction(["西山街办", "鄂城区", "湖北省科学技术厅", "鄂州市林业局", "昆明市科学技术局"], ezhou) == ["昆明市科学技术局"]


def test_a_plan_that_names_its_place_only_in_its_text(settings):
    """杨浦's 2024年区委、区政府重点工作任务 (dev): the title says 区 without a name; the text says 杨浦 three times
    (and 滨江, a riverside that is also 杭州's district: the one inside 上海, which the text names, wins)."""
    from pathlib import Path

    from lpsplan.build import build_plan
    from lpsplan.divisions import repeated_place
    from lpsplan.inputs import read_plan_input

    real = Path(__file__).parent / "data" / "real" / "yangpu-key-tasks-2024.txt"
    b = build_plan(settings, source=read_plan_input(real).source, slug="yangpu", jurisdiction=None, strict=False)
    assert [f.value for f in b.plan.inferred if f.what == "jurisdiction"] == ["杨浦区"]
    # written: once is not enough, another level does not count, two candidates with no context are none
    assert repeated_place("推动杨浦滨江建设。", "区") is None
    assert repeated_place("推动杨浦发展。杨浦要加快。", "县") is None
    assert repeated_place("推动杨浦发展。杨浦要加快。", "区") == place("杨浦区")
    assert repeated_place("推动杨浦发展,杨浦要加快;徐汇发展,徐汇要加快。", "区") is None
    # a short name that is an ordinary word is no evidence: 新建 ("build new") twice is not 南昌's 新建区
    assert repeated_place("新建教学综合楼一栋。新建幼儿园3所。", "区") is None
    assert repeated_place("新建区推动发展。区教体局新建幼儿园。新建学校。", "区") is None
    # 新建 is also "to build new": a progress table's 新建发热门诊1栋 / 新建教学综合楼 names no 新建区
    assert repeated_place("新建发热门诊1栋。新建教学综合楼已完成。", "区") is None
