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
