"""Round 38a (docs/plans.md, entry 38): table rows that carry only a time and a unit continue the task above, and a
part that carries out right after the part that leads supports it; each on its dev text and on written examples of
the same form (marked as such)."""

from realplans import found, read, roles, written


def test_a_row_of_a_time_and_a_unit_continues_the_task_above(settings):
    """新昌's progress table (项目名称 | 工作任务 | 计划完成时间 | 牵头单位 |): 2021.8 | 城投集团 | under a row led by 建设局,
    2021年11月 | 经开区 | and 计划10月底完成新增墓地建设 | 公共服务集团 | — a second unit of the task above, by a second
    time, the table merging the task's cells.  Read as one more unit of the row above, not a row of its own."""
    got = roles(read(settings, "xinchang-livelihood-progress-2021"))
    assert got[0] == [("建设局", "lead"), ("城投集团", "lead")]
    assert [("建设局", "lead"), ("经开区", "lead")] in got
    assert [("民政局", "lead"), ("公共服务集团", "lead")] in got
    assert [("经开区", "lead")] not in got and [("公共服务集团", "lead")] in got  # 农贸市场's own row stays
    tasks = [c.text.text for c in read(settings, "xinchang-livelihood-progress-2021").clauses]
    assert "新建城市口袋公园2处;" in tasks and "11月" not in tasks  # a short row's task is not its time cell
    text = ("某县民生实事项目表\n项目名称 | 工作任务 | 完成时间 | 牵头单位 |\n"  # written example of the same form
            "1.道路改造项目 | 改造城区道路3条; | 2024年10月 | 县建设局 |\n2024年12月 | 县交通运输局 | ||\n"
            "2.学校建设项目 | 新建学校2所; | 2024年9月 | 县教育局 |\n")
    assert roles(written(settings, text)) == [[("县建设局", "lead"), ("县交通运输局", "lead")], [("县教育局", "lead")]]


def test_a_row_of_words_and_a_unit_stays_a_row_of_its_own(settings):
    """The neighbour kept (新昌): 对七星路等重点区域…提档升级; | 2021.12 | 城投集团 | has a task cell before its time — a
    task of its own, read as its own row; and, written, a row whose first cell is no time."""
    got = roles(read(settings, "xinchang-livelihood-progress-2021"))
    assert got[1] == [("城投集团", "lead")]
    text = ("某县民生实事项目表\n项目名称 | 工作任务 | 完成时间 | 牵头单位 |\n"
            "1.道路改造项目 | 改造城区道路3条; | 2024年10月 | 县建设局 |\n新建停车场2处 | 县交通运输局 | ||\n")
    assert roles(written(settings, text)) == [[("县建设局", "lead")], [("县交通运输局", "lead")]]


def test_a_part_that_carries_out_right_after_the_lead_supports_it(settings):
    """台山's |-table: 市发展和改革局牵头,市直有关部门落实;各镇(街)参照落实 — the departments carry out what the lead
    leads: support, as 配合 would be.  负责落实 (青岛: 市民政局牽頭,各區、市政府負責落實) and a 落实 after a part that does
    not lead (广东: …按職能分工負責;各地級以上市人民政府落實) stay unspecified, as their labels read."""
    got = roles(read(settings, "taishan-open-government-tasks", title="台山市政务公开工作任务分工"))
    assert [("市发展和改革局", "lead"), ("市直有关部门", "support"), ("各镇(街)", "support")] in got
    assert [("市财政局", "lead"), ("市民政局", "support"), ("市农业农村局", "support"), ("各镇(街)", "support")] in got
    # written examples of the same forms
    assert found("推进项目建设。(市发改局牵头,市直有关部门落实)") == [[("市发改局", "lead"), ("市直有关部门", "support")]]
    assert found("推进项目建设。(市发改局牵头,各区政府负责落实)") == [[("市发改局", "lead"), ("各区政府", "unspecified")]]


def test_a_heading_naming_the_lead_in_a_page_run_into_one_line(settings):
    """山西's division, run into one line: `…同时具体负责以下工作: (一)省监察委员会牵头的工作 强化行政监察,…。 协同部门:…`.
    The colon and space before (一) are a lost paragraph break, as `。 ` before one is; the heading's words end at the
    space before its task, and its unit leads the task, the 协同部门 line adding the supports."""
    got = roles(read(settings, "shanxi-11th-plan-report-division-2006"))
    assert got[0][:3] == [("省监察委员会", "lead"), ("省政府办公厅", "support"), ("发展改革委", "support")]
    assert [("省编办", "lead"), ("省人民政府各部门", "support")] in got
    assert got[1][0] == ("省审计厅", "lead")
    text = ("某市重点工作责任分解 为抓好落实,现将重点工作分解如下: (一)市发改委牵头的工作 推进重大项目建设。"  # written example
            " 协同部门:市财政局、市自然资源局。 (二)市教育局牵头的工作 建设学校3所。 协同部门:市财政局。")
    assert roles(written(settings, text)) == [[("市发改委", "lead"), ("市财政局", "support"), ("市自然资源局", "support")],
                                              [("市教育局", "lead"), ("市财政局", "support")]]


def test_a_long_run_together_opening_ending_in_a_colon_is_no_line_of_addressees(settings):
    """章镇's plan: paragraphs on long lines separated by spaces, `…重点抓好以下五方面工作: (一)聚力提质增效…` — once the
    break before (一) is found, the opening before it ends in a colon; a line of sentences that long is the text's
    opening, not its addressees (it was refused before: no structure found), while 安顺's short
    `截止…全面完成。具体情况如下:` still names its city."""
    plan = read(settings, "zhangzhen-work-tasks-2023")
    assert plan.title.text == "2023年章镇镇政府主要工作安排和任务分解" and plan.period == (2023, 2023)
    anshun = read(settings, "anshun-ten-tasks-2019", title="安顺市十件实事完成情况")
    assert [str(f.value) for f in anshun.inferred if f.what == "jurisdiction"] == ["安顺市"]


def test_a_unit_cell_broken_over_lines_goes_to_the_column_that_lists_several(settings):
    """沈河's one-cell-a-line table (主要工作任务 / 牵头单位 / 责任单位): row 2 writes 发改局 / 区工信局 / 各街道办事处, its
    责任单位 cell broken over two lines.  Every other row's 牵头单位 cell is one unit on one line while a 责任单位 cell
    lists several: the first column holds one unit a row, the extra line is the second column's."""
    got = roles(read(settings, "shenhe-report-tasks-table-2024"))
    assert [("发改局", "lead"), ("区工信局", "unspecified"), ("各街道办事处", "unspecified")] in got
    assert [("发改局", "lead"), ("区工信局", "lead"), ("各街道办事处", "unspecified")] not in got
    head = "某区重点工作任务分解表\n\n主要工作任务\n\n牵头单位\n\n责任单位\n\n"  # written examples of the same form
    rows = ("一、加快发展\n\n1.推进项目建设。\n\n区发改局\n\n区财政局、区住建局\n\n2.发展数字经济。\n\n区工信局\n\n区科技局\n\n各街道办事处\n\n"
            "3.扩大消费。\n\n区商务局\n\n区文旅局\n\n")
    got = roles(written(settings, head + rows))
    assert got[1] == [("区工信局", "lead"), ("区科技局", "unspecified"), ("各街道办事处", "unspecified")]
    # written: a row with two lines under 牵头单位 whose 责任单位 line lists several units on its own is whole: the two
    # lines are co-leads, and they stay as read
    rows = "一、加快发展\n\n1.推进项目建设。\n\n区发改局\n\n区财政局\n\n区工信局、区商务局\n\n2.发展数字经济。\n\n区教育局\n\n区人社局、区财政局\n\n"
    got = roles(written(settings, head + rows))
    assert ("区财政局", "lead") in got[0] and ("区财政局", "unspecified") not in got[0]


def test_items_numbered_with_a_full_stop_and_a_bracket_closed_by_when(settings):
    """天津's division under an unnumbered heading (总体要求和主要预期目标): items numbered `1。` / `2。` — the page's 。 for
    the number's point — were no items, and the text was refused; its bracket `(市政府各部门分别负责,年内持续推进)` ends in
    when (年内, 持续推进), not who, as the central government's divisions write it."""
    plan = read(settings, "tianjin-state-report-division-2020")
    assert plan.title.text == "关于落实国务院《政府工作报告》重点工作的任务分工" and plan.period == (2020, 2020)
    assert roles(plan) == [[("市政府各部门", "unspecified")]]
    # written examples of the same forms
    assert found("推进工作。(国务院各部门分别负责,年内持续推进)") == [[("国务院各部门", "unspecified")]]
    text = "某市重点工作任务分工\n主要任务\n1。推进项目建设。(市发改委负责)\n2。扩大有效投资。(市财政局负责)\n"
    assert roles(written(settings, text)) == [[("市发改委", "unspecified")], [("市财政局", "unspecified")]]
