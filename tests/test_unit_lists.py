"""How task divisions write their unit lists (the second units round): each rule on the dev text it was found in
(tests/data/real, split dev) and on a written example of the same form.  The person in charge written after a unit
and the collectives with brackets of other kinds have written examples only (no dev document shows them)."""

from lpsplan.extract.bracketlists import one_each
from lpsplan.records import Span, UnitMention

from realplans import REAL, found, read, roles, written


def test_gongtong_zeren_danwei_is_a_label_of_units_sharing_the_task(settings):
    got = roles(read(settings, "lianyungang-livelihood-projects-2023"))
    assert got[0] == [("市教育局", "lead"), ("市发改委", "unspecified"), ("市财政局", "unspecified"), ("市自然资源局", "unspecified"),
                      ("市住建局", "unspecified"), ("各县区", "unspecified"), ("功能板块", "unspecified")]
    assert got[1] == [("市教育局", "lead"), ("各县区", "unspecified"), ("功能板块", "unspecified")]
    assert found("新建学校。(牵头单位:县教育局;共同责任单位:县财政局,各乡镇)") == [
        [("县教育局", "lead"), ("县财政局", "unspecified"), ("各乡镇", "unspecified")]]


def test_zong_qiantou_names_the_lead_of_a_whole_part(settings):
    got = roles(read(settings, "zhejiang-air-division-2014"))
    assert got[0] == [("省发改委", "lead")]  # 一、加快调整能源结构(省发改委总牵头)
    assert found("二、优化产业结构(市经信局总牵头)") == [[("市经信局", "lead")]]
    assert found("推进工作。(市发改委总牵头,市财政局配合)") == [[("市发改委", "lead"), ("市财政局", "support")]]


def test_a_bare_list_with_a_rule_of_order_gives_the_first_the_lead(settings):
    got = roles(read(settings, "zhejiang-air-division-2014"))
    # (省经信委、省发改委(省能源局)。列第一位者为牵头部门,下同): the alias stays with its unit, the rule gives the roles
    assert got[1] == [("省经信委", "lead"), ("省发改委(省能源局)", "support")]
    plan = written(settings, "某市重点工作分工方案\n一、总体任务\n1.制订控制方案。(市经信委、市发改委(市能源局)。列第一位者为牵头部门,下同)\n"
                             "2.淘汰落后产能。(市发改委、市财政局、市统计局)\n")
    assert roles(plan) == [[("市经信委", "lead"), ("市发改委(市能源局)", "support")],
                           [("市发改委", "lead"), ("市财政局", "support"), ("市统计局", "support")]]
    # a remark that states no rule of order leaves the bracket to the other readers (no units read from it here)
    assert found("推进工作。(市统计局、市财政局。具体安排另行通知)") == []


def test_a_unit_named_twice_in_one_annotation_is_one_unit(settings):
    got = roles(read(settings, "liaoning-northeast-division-2012"))
    assert got[3] == [("省发展改革委", "lead"), ("省经济和信息化委", "unspecified"), ("省统计局", "unspecified"), ("省电力公司", "unspecified")]
    assert got[8] == [("省人力资源社会保障厅", "lead"), ("省卫生厅", "unspecified")]
    assert found("推进工作。\n牵头单位:市发改委。\n责任单位:市发改委、市财政局。\n") == [[("市发改委", "lead"), ("市财政局", "unspecified")]]
    span = Span(0, 1)
    assert [(u.written, u.role) for u in one_each([UnitMention("甲局", span), UnitMention("乙局", span), UnitMention("甲局", span, "lead")])] == [
        ("甲局", "lead"), ("乙局", "unspecified")]


def test_a_remark_after_a_unit_column_name_is_no_part_of_it(settings):
    got = roles(read(settings, "jinan-shizhong-report-progress-2025"))  # 责任单位 (加黑为牵头单位): the bold is lost in a copy
    assert got == [[("区发展改革局", "unspecified"), ("区工业和信息化局", "unspecified"), ("区投资促进局", "unspecified"),
                     ("济南中央活力区发展促进中心", "unspecified")]]
    plan = written(settings, "序号 | 重点任务 | 责任单位(加粗为牵头单位) | 完成时限 |\n"
                             "1 | 新建城市公园三个,改造老旧小区。 | 区住建局、区城管局 | 2025年底 |\n")
    assert roles(plan) == [[("区住建局", "unspecified"), ("区城管局", "unspecified")]]


def test_the_person_in_charge_after_a_unit_is_no_part_of_it():
    assert found("推进工作。(责任单位:市民政局 张三)") == [[("市民政局", "unspecified")]]
    assert found("推进工作。(责任单位:市民政局(局长 张三)、市财政局(李四副局长))") == [[("市民政局", "unspecified"), ("市财政局", "unspecified")]]
    # not a person: a second unit after a space, an alias in brackets, a role word
    assert found("推进工作。(责任单位:县教体局 各相关乡镇政府)") == [[("县教体局", "unspecified"), ("各相关乡镇政府", "unspecified")]]
    assert found("推进工作。(责任单位:市商务局(市粮食和物资储备局))") == [[("市商务局(市粮食和物资储备局)", "unspecified")]]
    assert found("推进工作。(市民政局 牵头)") == [[("市民政局", "lead")]]
    # a word that ends as a body's or a place's name does is no person (these were dropped as one): a second unit
    # after a space, an office in brackets
    assert found("推进项目。(责任单位:市发改委 海关)") == [[("市发改委", "unspecified"), ("海关", "unspecified")]]
    assert found("推进项目。(责任单位:区政府 高新区)") == [[("区政府", "unspecified"), ("高新区", "unspecified")]]
    assert found("推进项目。(责任单位:市政府(市长办公室))") == [[("市政府(市长办公室)", "unspecified")]]
    assert found("推进项目。(责任单位:市民政局(局长:王小明))") == [[("市民政局", "unspecified")]]


def test_collectives_with_brackets_of_any_kind_stay_one_unit():
    assert found("推进工作。(牵头单位:市发改委;责任单位:各县〔市、区〕政府、市财政局)") == [
        [("市发改委", "lead"), ("各县〔市、区〕政府", "unspecified"), ("市财政局", "unspecified")]]
    assert found("推进工作。(责任单位:市民政局,各县区政府〈管委会〉)") == [[("市民政局", "unspecified"), ("各县区政府〈管委会〉", "unspecified")]]
    assert found("推进工作。(责任单位:市文旅局、各开发(度假)区管委会)") == [[("市文旅局", "unspecified"), ("各开发(度假)区管委会", "unspecified")]]
    assert found("推进工作。(责任单位:各县(市)区人民政府,市财政局)") == [[("各县(市)区人民政府", "unspecified"), ("市财政局", "unspecified")]]


def test_a_garbled_line_under_a_lead_heading_leaves_the_tasks_after_it_that_lead(settings):
    """Found by the damaged-input test on a dev text (a garbled line that starts like a mis-decoded item number, ?。ǘ┲,
    put between two tasks under (一)省人民政府办公厅牵头的工作): the task after it kept its 协同单位 but lost its lead."""
    text = (REAL / "shanxi-work-targets-division-2008.txt").read_text(encoding="utf-8")
    at = text.index("2.认真执行省人大")
    plan = written(settings, text[:at] + "?。ǘ┲锟斤拷锟斤拷 鍥藉姟闄 ��\n" + text[at:])
    assert roles(plan)[4] == [("省人民政府办公厅", "lead"), ("省直有关部门", "support"), ("各市人民政府", "support")]


def test_a_bracket_mixing_an_unlabelled_lead_with_labels_reads_each_part_as_alone(settings):
    """(X牵头;责任单位:Y): the unlabelled part by the rules of an unlabelled bracket, the labelled part by those of a
    labelled one, in order, the bracket's close in no name.  Found on a dev text ((X、…等按职责分工负责。责任单位:…。以下…不再列出。)),
    whose labelled units were lost."""
    assert roles(read(settings, "yulin-carbon-scheme-2024"))[0] == [
        ("市生态环境局", "unspecified"), ("发展改革委", "unspecified"), ("工业和信息化局", "unspecified"), ("水利局", "unspecified"),
        ("自然资源局", "unspecified"), ("各县(市、区)人民政府", "unspecified"), ("各开发园区管委", "unspecified")]
    plan = written(settings, "某市2023年重点工作方案\n一、重点任务\n(一)推进改造。完成老旧小区改造(市科技局牵头;责任单位:市工信局、市财政局)。\n"
                             "(二)建设公园。新建口袋公园(市住建局牵头,配合单位:市城管局)。\n")
    assert roles(plan) == [[("市科技局", "lead"), ("市工信局", "unspecified"), ("市财政局", "unspecified")],
                           [("市住建局", "lead"), ("市城管局", "support")]]
    assert found("推进工作。(市科技局牵头;配合单位:市工信局)") == [[("市科技局", "lead"), ("市工信局", "support")]]
    assert found("推进工作。(市科技局牵头,责任单位:市工信局)") == [[("市科技局", "lead"), ("市工信局", "unspecified")]]
    assert found("推进工作。〔市科技局负责;协同单位:市工信局〕") == [[("市科技局", "unspecified"), ("市工信局", "support")]]
    assert found("推进工作。(市科技局、市发改委按职责分工负责;配合单位:市工信局)") == [
        [("市科技局", "unspecified"), ("市发改委", "unspecified"), ("市工信局", "support")]]
    assert found("推进工作。(市科技局牵头,市财政局配合;责任单位:各县(市、区)人民政府)") == [
        [("市科技局", "lead"), ("市财政局", "support"), ("各县(市、区)人民政府", "unspecified")]]
    # a first part that says when, or names units with no role word, as a bracket of its own would
    assert found("推进工作。(2023年底前完成;责任单位:市工信局)") == [[("市工信局", "unspecified")]]
    assert found("推进工作。(市科技局;责任单位:市工信局)") == [[("市科技局", "unspecified"), ("市工信局", "unspecified")]]
    # a first part of neither kind: the labelled part is read as before, up to the bracket's close
    assert found("推进工作。(详见附件;责任单位:市工信局)") == [[("市工信局", "unspecified")]]
    # a labelled bracket as it was read before
    assert found("推进工作。(牵头单位:市科技局;责任单位:市工信局)") == [[("市科技局", "lead"), ("市工信局", "unspecified")]]


def test_a_role_word_after_a_labelled_lead_leaves_the_lead_its_role():
    """(牵头单位:X,Y配合): the role word is Y's; X keeps the role its label gave it.  After a semicolon a part with no
    label is read as alone (牵头单位:X;Y、Z配合: Y and Z support); a role word still speaks for the units of a label
    that gave no role (责任单位:X、Y分别牵头).  Written examples only: no dev document shows the first two."""
    assert found("推进工作。(牵头单位:市科技局,市工信局配合)") == [[("市科技局", "lead"), ("市工信局", "support")]]
    assert found("推进工作。(牵头单位:市科技局;市工信局、市财政局配合)") == [
        [("市科技局", "lead"), ("市工信局", "support"), ("市财政局", "support")]]
    assert found("推进工作。(责任单位:市工信局;市科技局配合)") == [[("市工信局", "unspecified"), ("市科技局", "support")]]
    assert found("推进工作。(责任单位:市人社局、市农业农村局分别牵头)") == [[("市人社局", "lead"), ("市农业农村局", "lead")]]
    assert found("推进工作。(部门分工:市发改委牵头,各地、各部门配合)") == [
        [("市发改委", "lead"), ("各地", "support"), ("各部门", "support")]]


def test_a_field_of_another_kind_inside_an_annotation_names_no_unit():
    # written (no dev document has it): 项目 / 备注 / 联系人 inside the bracket are fields of their own, not units;
    # a label of units after them starts units again
    assert found("建设重点实验室2个。(责任单位:市科技局 项目:平台建设 专项)") == [[("市科技局", "unspecified")]]
    assert found("建设重点实验室2个。(责任单位:市科技局;项目:甲、乙)") == [[("市科技局", "unspecified")]]
    assert found("建设重点实验室2个。(牵头单位:市科技局 联系人:张三 配合单位:市财政局、市统计局)") == [
        [("市科技局", "lead"), ("市财政局", "support"), ("市统计局", "support")]]
    # a time field is still read as when, not who
    assert found("建设重点实验室2个。(责任单位:市科技局 完成时限:2023年底)") == [[("市科技局", "unspecified")]]
    from lpsplan.extract.unitlists import stated_deadline

    assert stated_deadline("(责任单位:市科技局 完成时限:2023年底)") == (True, 2023)



def test_a_label_of_units_not_in_the_list_is_no_field_of_another_kind():
    # written: 建设单位 / 承担单位 / 建设主体 name units though they are not among the labels: read as labels of units
    # (before, their units were dropped as if they were a field such as 项目:…)
    assert found("建设重点实验室2个。(牵头单位:市发改委;建设单位:市城投公司)") == [
        [("市发改委", "lead"), ("市城投公司", "unspecified")]]
    assert found("建设重点实验室2个。(责任单位:市科技局;承担单位:市财政局、市教育局)") == [
        [("市科技局", "unspecified"), ("市财政局", "unspecified"), ("市教育局", "unspecified")]]
    assert found("建设重点实验室2个。(牵头单位:市科技局 联系人:张三;参建单位:市城投公司)") == [
        [("市科技局", "lead"), ("市城投公司", "unspecified")]]
