"""Found in review of round 40's rules: each defect's input, written for the test (no accuracy figure counts it)."""

from lpsplan.extract import extract_plan
from lpsplan.source import decode_source


def _units(annotation: str) -> list[list[str]]:
    text = f"某市2024年重点工作任务分解方案\n一、重点任务\n1.建设平台。(责任单位:{annotation})\n"
    plan = extract_plan(decode_source(text.encode(), "x.txt"), "x", strict=False)
    return [[u.written for u in c.units] for c in plan.clauses]


def test_county_committee_and_its_government_is_not_cut_at_he_county():
    """县委和县政府 is one collective now (the 和 between a party committee and its places' government is no join), but the
    reader of names run together then cut it where a place's name opens (和县, a county of 安徽): 县委 / 和县政府, a
    government of another county.  The collective is left whole there as it is where it is read."""
    assert _units("县委和县政府") == [["县委和县政府"]]
    assert _units("县委和县人民政府、县财政局") == [["县委和县人民政府", "县财政局"]]
    # as before: 市委和市政府 one collective; a committee and an office of the government two units
    assert _units("市委和市政府") == [["市委和市政府"]]
    assert _units("县委和县政府办公室") == [["县委", "县政府办公室"]]


def test_a_star_in_a_column_of_supporting_units_marks_no_lead():
    """The star after a unit's name (区政府办公室*、区财政局) was read as the lead's mark in every cell, so in a 配合单位
    column (注:*为新增单位) 市财政局* became a lead and 市住建局 stayed a support.  A column of supporting units keeps its
    role; the star is taken off the name as before."""
    from lpsplan.extract.tablecells import _units_of
    from lpsplan.records import Mention, Span

    text = "市财政局*、市住建局"
    cell = Mention(text, Span(0, len(text)))
    assert [(u.written, u.role) for u in _units_of(text, cell, "support")] == [("市财政局", "support"), ("市住建局", "support")]
    # a column of units that states no role, or the leads' column: the star marks the lead, as round 40 reads it
    assert [(u.written, u.role) for u in _units_of(text, cell, "unspecified")] == [("市财政局", "lead"), ("市住建局", "support")]


def test_a_sites_column_of_notices_is_no_public_notice_heading():
    """A public notice's heading (…整改验收公示) is the title when nothing else names the plan, and it was looked for before
    an item of the notice's list of attachments: a page under its site's column (某某市人民政府网站通知公告) took that
    column's name as its title over 附件:1. 2022年重点任务分解表.  A column of notices is no notice's heading."""
    text = "某某市人民政府网站通知公告\n附件:1. 2022年重点任务分解表\n一、重点任务\n1.推进建设。(责任单位:市教育局)\n"
    plan = extract_plan(decode_source(text.encode(), "x.txt"), "x", strict=False)
    assert plan.title.text == "2022年重点任务分解表"
    text = text.replace("某某市人民政府网站通知公告", "某某市整改任务整改验收公示")  # a notice's own heading: still the title
    assert extract_plan(decode_source(text.encode(), "x.txt"), "x", strict=False).title.text == "某某市整改任务整改验收公示"
