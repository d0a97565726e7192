"""Round 37 (docs/plans.md): the defects test batch 21 showed when it was scored once, mended after it was moved to dev;
each on its dev text and on written examples of the same form (marked as such)."""

import pytest
from lpsplan.divisions import places_in
from lpsplan.errors import ExtractionError

from realplans import REAL, read, roles, written


def test_an_idiom_of_two_short_place_names_is_no_place(settings):
    """天津's draft: 促进新市民安居乐业 — 安居 (遂宁's 安居区) beside 乐业 (a county of 广西) — made 遂宁 the plan's
    jurisdiction and five of its units 遂宁's.  A run of short names that the dictionary holds as a common word is that
    word; a run of places it holds rarely (广西南宁) stays places."""
    plan = read(settings, "tianjin-new-citizens-measures-draft-2024", title="提升城市服务保障水平促进新市民安居乐业政策举措")
    assert not any(f.what == "jurisdiction" for f in plan.inferred)
    assert roles(plan)[0][0] == ("市人社局", "unspecified")
    assert not places_in("促进新市民安居乐业")  # written examples of the same reading
    assert [text for text in ("广西南宁",) if places_in(text)] == ["广西南宁"]
    assert places_in("和平共处五项原则") == []


def test_places_sharing_one_kind_of_department_after_a_label(settings):
    """海东's list: 责任单位:海东市、兰州市、临夏州发展改革部门 — the development and reform departments of three cities, one
    unit, as 临汾、侯马、洪洞经济开发区管委会 is; the label before the first place was what kept them apart."""
    assert roles(read(settings, "haidong-lanxi-city-cluster-tasks-2020")) == [[("海东市、兰州市、临夏州发展改革部门", "unspecified")]]
    got = roles(written(settings, "某市行动方案\n一、重点任务\n(一)推进协同发展。\n责任单位:海口市、三亚市、儋州市教育部门\n"))
    assert got == [[("海口市、三亚市、儋州市教育部门", "unspecified")]]


@pytest.mark.parametrize("name", ["liaocheng-report-division-2021", "changzhi-report-task-list-2026"])
def test_a_notice_whose_points_are_its_own_is_refused_as_a_notice(settings, name):
    """聊城: 现将《…分工方案》印发给你们,并就有关事项通知如下: then 一、坚定信心,争先进位 / 二、夯实责任,狠抓落实; 长治: 现将《…清单》
    印发给你们。…抓好落实。 then 一、完善工作机制,压实落实责任 / 二、加强协同配合 / 三、强化运行调度 and 附件:… closing the notice.
    The plan is the attachment, not in the text: refused as a notice, as the points after …通知如下 before 1. items were."""
    with pytest.raises(ExtractionError, match="only the notice that issues the plan"):
        read(settings, name)


def test_a_plan_after_its_notice_keeps_its_sections(settings):
    """The neighbours kept: a plan whose title stands after the notice's line (三门, 下陆: dev), and, written, a notice
    handing out a plan whose own 一、 sections follow under its title."""
    assert read(settings, "xialu-responsibility-2020").title.text == "2020年区政府重点工作责任分解"
    text = ("各区政府:\n《某市科技创新行动方案》已经市政府同意,现印发给你们,请认真贯彻落实。\n某市人民政府\n2024年3月1日\n"
            "某市科技创新行动方案\n一、加强组织领导\n(一)压实责任。(市科技局负责)\n")
    assert written(settings, text).title.text == "某市科技创新行动方案"


def test_a_table_row_cut_after_its_unit_cell_keeps_its_units(settings, tmp_path):
    """荆州's |-table cut right after the first row's unit cell (its deadline cell lost): the row is read from its end
    as if the lost cell were there, its units whole, as when the cut falls after the deadline cell."""
    from lpsplan.build import build_plan
    from lpsplan.inputs import read_plan_input

    whole = read_plan_input(REAL / "jingzhou-open-government-list-2022.txt").source.text
    after_units = whole.index("负责落实 | 持续推进") + len("负责落实 | ")
    units = [("市政府各有关部门", "unspecified"), ("各县市区人民政府", "unspecified"), ("功能区管委会", "unspecified")]
    for at in (after_units, after_units + len("持续推进 |")):
        cut = tmp_path / f"jingzhou-{at}.txt"
        cut.write_text(whole[:at], encoding="utf-8")
        plan = build_plan(settings, source=read_plan_input(cut).source, slug="cut", jurisdiction=None, strict=False).plan
        assert roles(plan) == [units], at


def _jurisdiction(plan):
    return next((f.value for f in plan.inferred if f.what == "jurisdiction"), None)


def test_the_jurisdiction_each_dev_page_names_read_as_its_manifest_place(settings):
    """Dev documents whose inferred jurisdiction disagreed with the place the manifest gives (an audit of every dev
    document after batch 21's 遂宁): 楚雄州人民政府 is the prefecture (楚雄彝族自治州), not 楚雄市 — a short name followed by
    its level's word; 荆州经开区 among 荆州's addressees is 荆州市, not its district 荆州区 — a name's own candidates are no
    context for choosing among them; 兰西城市群 (a short name alone in the title: 兰西县 of 黑龙江) gives way to the issuer
    named in full (海东市); 侯马's opening names 临汾市 only as the body whose decisions it carries out (为贯彻落实国家、省、
    临汾市有关…部署): no jurisdiction rather than its superior's."""
    assert _jurisdiction(read(settings, "chuxiong-livelihood-scheme-2021")) == "楚雄彝族自治州"
    assert _jurisdiction(read(settings, "jingzhou-open-government-list-2022", title="2022年政务公开任务分解责任清单")) == "荆州市"
    assert _jurisdiction(read(settings, "haidong-lanxi-city-cluster-tasks-2020")) == "海东市"
    assert _jurisdiction(read(settings, "houma-air-2025")) is None
