"""Rules of round 39, rule writer B (entry 43 in docs/plans.md), each on the dev text it was found in (tests/data/real,
split dev) and on written examples of the same form (marked as such), the neighbouring readings kept."""

from lpsplan.extract.names import _each_of
from lpsplan.extract.text import split_top

from realplans import found, read, roles, written


def test_huanggang_lines_said_by_under_each_indicator(settings):
    """黄冈's division of its 十一五 plan: under each indicator a line ──由X会同有关部门和各县市区组织落实。 (X leads, the units
    joined by 和 after 会同 support) or ──由X和各县市区组织落实。 (all carry it out: unspecified)."""
    got = roles(read(settings, "huanggang-11th-plan-division-2007"))
    assert got[0] == [("市劳动和社会保障局", "lead"), ("有关部门", "support"), ("各县市区", "support")]
    assert got[2] == [("市人口计生委", "unspecified"), ("各县市区", "unspecified")]
    assert len(got) == 6


def test_written_said_by_lines_and_together_joined_by_and():
    # written: the same line without its dash, and with a 、 list after 会同
    assert found("1.建设平台。\n由市发改委和市财政局组织落实。\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    assert found("1.建设平台。\n——由市科技局会同市财政局、市教育局和各区负责。\n") == [
        [("市科技局", "lead"), ("市财政局", "support"), ("市教育局", "support"), ("各区", "support")]]
    # a line opening with 由 that names no unit is no annotation
    assert found("1.建设平台。\n由此带动产业升级和就业增长。\n") == []


def test_xinjiang_units_then_a_verb_of_organising(settings):
    """新疆's division of its education outline: (自治区党委组织部、…、民委(宗教局)、新闻出版局、团委组织实施) — units closed by
    组织实施, who carry the task out (unspecified)."""
    got = roles(read(settings, "xinjiang-education-outline-division-2011"))
    assert got[0] == [(u, "unspecified") for u in ("自治区党委组织部", "党委宣传部", "教育厅", "民委(宗教局)", "新闻出版局", "团委")]


def test_written_organising_verbs():
    assert found("1.建设平台。(市发改委、市财政局组织落实)\n") == [[("市发改委", "unspecified"), ("市财政局", "unspecified")]]
    # written: after a lead, 组织实施 reads as 负责落实 does (who carries it out, unspecified), not as a bare 落实 (support)
    assert found("1.建设平台。(市发改委牵头,市财政局组织实施)\n") == [[("市发改委", "lead"), ("市财政局", "unspecified")]]
    assert found("1.建设平台。(市发改委牵头,市财政局负责落实)\n") == [[("市发改委", "lead"), ("市财政局", "unspecified")]]
    # written: a body whose name ends in 党组织 keeps its name (组织 there is no verb; 落实 after a lead supports it)
    assert found("1.建设平台。(市发改委牵头,各级党组织落实)\n") == [[("市发改委", "lead"), ("各级党组织", "support")]]


def test_yunfu_first_named_leads_after_a_comma(settings):
    """云浮's preschool plan: (市教育局,市委农办,各县<市、区>人民政府,排名第一位为牵头单位,下同) — a bare list, then the rule
    that the first named leads and its rider, after commas; the collective's divisions in an angle bracket."""
    got = roles(read(settings, "yunfu-preschool-action-2019"))
    assert got[0] == [("市教育局", "lead"), ("市委农办", "support"), ("各县<市、区>人民政府", "support")]


def test_written_first_named_leads_carried_to_later_brackets(settings):
    plan = written(settings, "一、任务\n1.建设平台。(市发改委,市财政局,列第一位的为牵头单位,下同)\n"
                             "2.培育企业。(市科技局、市财政局)\n")
    assert roles(plan) == [[("市发改委", "lead"), ("市财政局", "support")], [("市科技局", "lead"), ("市财政局", "support")]]
    # written: without the rule the list stays as a bare list reads it
    assert found("1.建设平台。(市发改委,市财政局,下同)\n") == []


def test_hebei_party_committee_and_its_government_one_unit(settings):
    """河北's 25 measures: (责任单位:各市党委、政府,雄安新区党工委、管委会,省安委会各成员单位) — a party committee and the
    government of the same places, the second by its body's word alone, are one collective."""
    got = roles(read(settings, "hebei-safety-25-measures-2023"))
    assert got[0] == [("各市党委、政府", "unspecified"), ("雄安新区党工委、管委会", "unspecified"), ("省安委会各成员单位", "unspecified")]


def test_written_party_committee_pairs():
    text = "各县党委、人民政府、市发改委"
    assert [m.text for m in _each_of(text, split_top(text, 0, len(text), "、"))] == ["各县党委、人民政府", "市发改委"]
    text = "县委组织部、县政府办"  # written: two units each with its own name
    assert [m.text for m in _each_of(text, split_top(text, 0, len(text), "、"))] == ["县委组织部", "县政府办"]


def test_zhengzhou_notice_title_above_its_addressees(settings):
    """郑州's division of its government work report on an essay-sample site: the host's heading 市民政工作报告通知 above the
    addressees' line is the excerpt's title; the sentences 由X,Y负责落实。 name units that hold a bracket (各县(市)、区人民政府)."""
    plan = read(settings, "zhengzhou-report-tasks-notice")
    assert plan.title.text == "市民政工作报告通知"
    got = roles(plan)
    assert got[0] == [("市人民政府各相关部门", "unspecified"), ("各县(市)、区人民政府", "unspecified")]
    assert got[1][-1] == ("各县(市)、区人民政府", "unspecified")


def test_written_notice_title_needs_addressees(settings):
    plan = written(settings, "区重点工作通知\n各街道,区政府各部门:\n一、任务\n1.建设平台。(责任单位:区发改委)\n")
    assert plan.title.text == "区重点工作通知"
    # written: a notice that issues another document is not read so (its 《…》 or 关于印发 is)
    plan = written(settings, "印发工作方案的通知\n各街道,区政府各部门:\n一、任务\n1.建设平台。(责任单位:区发改委)\n")
    assert plan.title.text != "印发工作方案的通知"


def test_shanxi_et_cetera_then_and(settings):
    """山西's division of its 十一五 report: 协同部门:省政府办公厅、财政厅、地税局等和各市、县人民政府。 — 等 closes the list,
    和 adds the collective 各市、县人民政府."""
    got = roles(read(settings, "shanxi-11th-plan-report-division-2006"))
    assert got[1] == [("省审计厅", "lead"), ("省政府办公厅", "support"), ("财政厅", "support"), ("地税局", "support"),
                      ("各市、县人民政府", "support")]


def test_liaoyang_site_name_above_the_title(settings):
    """辽阳's list: the site's name 辽阳 on a line above the title 辽阳市…清单, which opens with it — not joined to it."""
    assert read(settings, "liaoyang-small-business-support-list-2023").title.text == "辽阳市小微企业、个体工商户扶持政策事项清单"
