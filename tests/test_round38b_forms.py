"""Rules of round 38, rule writer B (entry 39 in docs/plans.md), each on the dev text it was found in (tests/data/real,
split dev) and on written examples of the same form (marked as such), the neighbouring readings kept."""

from lpsplan.extract.metadata import REPORT_END_RE

from realplans import found, read, roles


def test_wuchang_level_prefixed_labels_in_one_bracket(settings):
    """武昌's progress report: (市级牵头单位:市发展改革委;区级牵头单位:区发改局) — a label of the 牵头单位 family with its level
    before it, two in one bracket; its title ends in 完成情况通报 (the report of how far the work came)."""
    plan = read(settings, "wuchang-report-progress-2021")
    assert plan.title.text == "2021年市《政府工作报告》前三季度完成情况通报"
    assert plan.period == (2021, 2021)
    got = roles(plan)
    assert got[0] == [("市发展改革委", "lead"), ("区发改局", "lead")]
    assert got[4] == [("市科技局", "lead"), ("区科经局", "lead")]


def test_written_level_prefixed_labels():
    # written: each level with each label family; the role by the label's words as without the level
    assert found("1.建设平台。(省级牵头单位:省发改委;县级配合单位:县财政局)\n") == [[("省发改委", "lead"), ("县财政局", "support")]]
    assert found("1.建设平台。(区级责任单位:区科技局、区财政局)\n") == [[("区科技局", "unspecified"), ("区财政局", "unspecified")]]
    # …the one-character level as before
    assert found("1.建设平台。(市牵头单位:市发改委)\n") == [[("市发改委", "lead")]]


def test_report_titles_ending_in_a_notice_of_progress():
    assert REPORT_END_RE.search("2021年市《政府工作报告》前三季度完成情况通报")
    assert REPORT_END_RE.search("2023年重点工作进展情况通报")  # written
    assert not REPORT_END_RE.search("关于召开工作会议的通报")  # written: a notice of another kind is no report of the work


def test_guangdong_division_label_with_et_cetera_before_the_role_word(settings):
    """广东's news of its 分工方案: 部门分工:X牵头,Y,Z、…,W等配合。 — the 等 that closes the list before 配合 is no part of
    W's name."""
    got = roles(read(settings, "guangdong-report-tasks-news-2023"))
    assert got[0][0] == ("省工业和信息化厅", "lead")
    assert got[0][-1] == ("省通信管理局", "support")
    assert len(got[0]) == 9


def test_written_et_cetera_before_the_role_word():
    # written: in a labelled annotation and in a bracket without a label
    assert found("1.建设平台。(牵头单位:市发改委;市财政局、市科技局等配合)\n") == [
        [("市发改委", "lead"), ("市财政局", "support"), ("市科技局", "support")]]
    assert found("1.建设平台。(市发改委牵头,市财政局等协助)\n") == [[("市发改委", "lead"), ("市财政局", "support")]]
