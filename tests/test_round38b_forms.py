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


def test_gongshu_annex_field_before_the_title_it_names(settings):
    """拱墅's disclosure page: `附件 2020第一季度…执行情况` (the page's attachment field) above the title line itself — the
    word 附件 is no part of the title."""
    assert read(settings, "gongshu-report-progress-2020").title.text == "2020第一季度政府工作报告重点任务目标执行情况"


def test_xihu_list_item_number_before_a_year(settings):
    """西湖's notice: its attachment list `3.2019年全区10件民生实事项目进展情况表` is an item of a list (the number before a
    year is no decimal), so the notice's own title line, a progress notice (…进展情况通报), is read."""
    assert read(settings, "xihu-livelihood-progress-2019").title.text.startswith("2019年全区民生实事项目进展情况通报")


def test_xinchang_progress_register_title(settings):
    """新昌's table of livelihood projects: a title ending in 进展情况登记表 (the register of how far each project came)."""
    assert read(settings, "xinchang-livelihood-progress-2021").title.text == "2021年新昌县政府十方面民生实事进展情况登记表"


def test_written_list_items_and_annex_fields():
    from lpsplan.extract.metadata import ANNEX_PREFIX_RE, LIST_ITEM_RE

    assert LIST_ITEM_RE.match("3.2019年全区进展情况表")
    assert not LIST_ITEM_RE.match("3.5万亩高标准农田建设方案")  # written: a decimal starts the line, no item's number
    assert ANNEX_PREFIX_RE.sub("", "附件 2020年重点任务执行情况") == "2020年重点任务执行情况"
    assert ANNEX_PREFIX_RE.sub("", "附件2:2020年重点任务执行情况") == "2020年重点任务执行情况"
    assert ANNEX_PREFIX_RE.sub("", "附件") == "附件"  # a caption alone is left as it is


def test_haidong_title_whose_first_half_the_page_kept_apart(settings):
    """海东's notice: `《海东市与兰州市、临夏州共同推进兰西城市群建设2020年重点任务清单》已经市政府同意,现印发给你们` names the
    document it hands out; the title over the list, `海东市与兰州市、临夏州共同推进` / `兰西城市群建设2020年重点任务清单`, has a 、
    in its first half that keeps the halves apart — the notice's name is the whole."""
    plan = read(settings, "haidong-lanxi-city-cluster-tasks-2020")
    assert plan.title.text == "海东市与兰州市、临夏州共同推进兰西城市群建设2020年重点任务清单"


def test_written_document_handed_out():
    from lpsplan.extract.metadata import HANDED_OUT_RE

    m = HANDED_OUT_RE.search("《某市2021年重点工作任务清单》已经市政府同意,现印发给你们,请认真贯彻执行。")
    assert m and m.group("title") == "某市2021年重点工作任务清单"
    assert not HANDED_OUT_RE.search("根据《某市2021年重点工作任务清单》要求,现将有关事项通知如下")  # written: a cited document
    # written: a document cited before the notice hands out its own plan is not the plan
    assert not HANDED_OUT_RE.search("按照《某市2021年重点工作任务清单》要求,现将实施方案印发给你们,请认真贯彻执行。")
    assert not HANDED_OUT_RE.search("根据《某省国民经济和社会发展第十四个五年规划纲要》,现将任务分工印发给你们。")


def test_kaifeng_rider_names_who_carries_this_item_out_too(settings):
    """开封's measures: (X、Y及Z按职责分工负责。以下均需各县区政府和城乡一体化示范区管委会落实,不再列出) — 不再列出: the units the rider
    names carry out this item too (named here, not again below); 广东 2020 names them for its own item before the same
    rider, and is not given them twice."""
    got = roles(read(settings, "kaifeng-second-half-measures-2024"))
    assert got[0] == [("市工业和信息化局", "unspecified"), ("发展改革委", "unspecified"), ("各产业链责任单位", "unspecified"),
                      ("各县区政府", "unspecified"), ("城乡一体化示范区管委会", "unspecified")]
    got = roles(read(settings, "guangdong-rural-revitalization-points-2020"))
    assert got[0][-1] == ("廣東省各地級以上市人民政府", "unspecified") and len(got[0]) == 12


def test_written_rider_units(settings):
    from lpsplan.extract.unlabelled import rider_units
    from lpsplan.records import Span

    # written: the rider's units after the item's own; a name with 和 inside it stays one; a remark naming no unit adds none
    text = "(市发改委负责。以下各项均需各县(市、区)人民政府落实,不再列出)"
    assert [u.written for u in rider_units(text, Span(0, len(text)), [])] == ["各县(市、区)人民政府"]
    text = "(市发改委负责。以下均需市住房和城乡建设局落实,不再列出)"
    assert [u.written for u in rider_units(text, Span(0, len(text)), [])] == ["市住房和城乡建设局"]
    text = "(市发改委负责。以下各项工作均需认真落实,不再列出)"
    assert rider_units(text, Span(0, len(text)), []) == []
