"""A plan's title, period and date of issue as its text states them, when the front matter is not
the plain ``title line + (2021—2023年)`` the extractor first looks for.

Real plans are published inside the notice that issues them (关于印发《…》的通知, 现将《…》印发给
你们), with the title split over lines, with a one-year 工作要点 or a 十四五 plan that states no range
of years, with the date only in the 落款 (2022年2月27日, 二〇一六年七月八日) or the document number
(〔2023〕1号).  Each finding is kept with the line it came from, so the report can say what was
inferred from where.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from ..records import Mention, Span
from .noticetitles import ADDRESSEE_RE, above_addressees, news_or_public_notice
from .text import CN_DIGITS, mention

# the words that end the caption of a table reporting work (…一季度进展情况表, …实施进度通报): a title when nothing else is
# (…二季度执行情况, …上半年推进情况汇总表, …落实情况统计表, …进展情况登记表, …完成情况通报), and a list of the year's livelihood projects (…10件惠民实事)
_REPORT = (r"进展情况(?:登记)?表?|情况(?:总结)?(?:汇报|报告)|进度通报|进度表|情况表|一览表|台账|汇总表|统计表|(?:推进|执行|进展|完成|落实)情况(?:通报)?"
           r"|(?:\d{1,3}|[一二三四五六七八九十]{1,3})件(?:重点)?(?:民生|惠民|为民)?实事(?:项目)?"
           r"|(?:民生|惠民|为民)实事(?:项目|工作)?目标(?:任务)?")  # …2021年民生实事工作目标: the year's targets
REPORT_END_RE = re.compile(rf"(?:{_REPORT})$")
GENRE = (r"(?:行动计划|计划|计画|规划|方案|纲要|意见|办法|措施|举措|要点|任务|清单|分解表|分解|分工|细则|政策|工作事项|工作安排"
         rf"|{_REPORT}"
         r"|(?<!第)[一二三四五六七八九十百]{1,3}条)")  # …支持企业发展二十条 (not 第十条, an article's heading)
# a title line: ends in a genre word, optionally followed by (试行) / (2025年版) / (2018—2020年)
TITLE_LINE_RE = re.compile(rf"(?P<title>.*?{GENRE})(?P<tail>[((【](?:试行|暂行|\d{{4}}\s*年?版|修订版?|征求意见稿[^))】]*|全文|草案"
                           rf"|(?:送审|讨论|代拟|修订|审议|报批)稿"
                           rf"|\d{{4}}\s*年?\s*[—–\-~至到]+\s*\d{{4}}\s*年?|\d{{4}}\s*年度?"
                           rf"|(?:\d{{4}}\s*年\s*)?(?:第?\s*[一二三四1-4]\s*季度|[上下]半年|\d{{1,2}}\s*[—–\-~至到]\s*\d{{1,2}}\s*月|\d{{1,2}}\s*月(?:份|底)?)"
                           rf"|[一二三四五六七八九十]{{1,2}}|共?计?\s*\d{{1,4}}\s*[项条]"  # …方案(一): a part; (共计121项)
                           rf"|截[至止][^()()【】]{{1,16}}"  # …进度表(截至10月31日): the date a report stands at
                           rf"|[\u4e00-\u9fff]{{1,10}}\s*[〔\[［]\s*\d{{4}}\s*[〕\]］]\s*\d{{1,4}}\s*[号號])[))】])?$")  # (池政〔2017〕101号)
HEADER_ROW_RE = re.compile(r"\s*序\s*号\s*[\s|\t]")  # a table's header on one line, opened by 序号
SIGNED_RE = re.compile(r"^.*?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s+(?=\S)")
LABEL_PREFIX_RE = re.compile(r"^(?:发文标题|标\s*题|文件名称|名\s*称)\s*[::|]\s*\|?\s*")
# the attachment field of a disclosure page before the title it names (附件 2020第一季度…执行情况): no part of the title
ANNEX_PREFIX_RE = re.compile(r"^附\s*+件\s*+(?:\d{1,2}\s*+)?(?:[:\uff1a|]\s*+)?(?<=[\s:\uff1a|])(?=\S)")
# a document's title as a notice quotes it: 4 to 80 characters up to a genre word, and the years or edition
# in brackets after it (…行动计划(2021-2023年))
_TITLE = rf"(?P<title>[^《》]{{4,80}}?{GENRE}(?:[((][^()()]{{1,20}}[))])?)"
# the document a notice issues (关于印发…的通知 / 现将《…》印发给你们) may also be a year's targets (…2019年重点工作目标):
# the notice says it is the document, whatever its genre word
_ISSUED = _TITLE.replace(GENRE, rf"(?:{GENRE}|工作目标)")
# 关于印发…的通知, and the other verbs of a notice that issues or publishes a document (关于公布…实施计划的通知)
NOTICE_TITLE_RE = re.compile(rf"(?:关于\s*|(?:政府|办公厅|办公室|委员会|国务院)\s*)(?:印发|公布|下发|转发)\s*《?{_ISSUED}》?\s*的\s*通知")
ISSUING_RE = re.compile(rf"现将\s*《{_ISSUED}》")
# 《…》已经市政府同意,现印发给你们: the notice hands out the document it names first on the line — not one it cites
# (按照《…》要求,现将实施方案印发给你们 / 根据《…纲要》,现将任务分工印发给你们: the plan handed out is another)
HANDED_OUT_RE = re.compile(rf"(?<!按照|根据|依据|贯彻|落实|对照)《{_ISSUED}》(?:(?!要求|精神|规定|部署)[^《》。;\uff1b]){{0,30}}?印发给你们")
# a notice that is itself the document: …关于2018年重点工作任务的通知, …关于进一步促进民营经济发展若干措施的通知,
# …关于2024年实施47项民生实事的通知 (a livelihood-project list)
# what a notice does with the document it issues: 印发, 现将…, 下发/转发 给你们
NOTICE_VERB_RE = re.compile(r"印发|现将|下发|转发|发给你们|关于公布")
SELF_NOTICE_RE = re.compile(rf"\S{{0,30}}关于(?!印发|转发|公布)\S{{4,80}}?(?:{GENRE}|工作|实事)\S{{0,6}}的通知")
# the name of the site a page's heading ends with, after a dash, an underscore or a bar (…的通知-某某网络平台, …_某某网)
SITE_SUFFIX_RE = re.compile(r"(?<=[\u4e00-\u9fff)\uff09])[ \t\u3000]*[-_|—–][ \t\u3000]*[^\s\-_|—–]{2,16}$")
# 《…实施细则》 standing alone on one of the first lines, no notice around it: the document's own title
# A document-sharing page names the file it shows in 《…》 at the start of a line of its caption, with a file
# type or the page shown after the title (《…百日行动方案_页2》由会员上传分享, 《…方案.docx》由会员分享)
_FILE_TAIL = r"(?:\.(?:docx?|pdf|wps|txt))?(?:[_—\-–]?\s*(?:第\s*\d{1,3}\s*页|页\s*\d{1,3}))?"
QUOTED_LINE_RE = re.compile(rf"《{_TITLE}{_FILE_TAIL}》")
SHARED_CAPTION_RE = re.compile(r"\s*(?:由\S{0,6}(?:上传|分享)|(?:免费)?在线(?:阅读|预览)|(?:免费)?下载)")
QUOTED_RE = re.compile(rf"《{_TITLE}》")
# a line made of the genre's words only (责任分解方案, 任务分解和责任分工方案, 规划): the end of a split title
GENRE_ONLY_RE = re.compile(rf"(?:(?:重点|工作|目标|任务|责任|实施|行动|专项|发展|分解|分工|落实|和|及|与|公开|征求)*{GENRE})+(?:[((][^()()]{{1,20}}[))])?")
# what a page puts before a title on its line: a breadcrumb (首页 > 政策文件 >), a column of the site
# (政务服务丨, 武威市高新技术企业奖励政策:) — taken off when what follows is a title line by itself
SITE_PREFIX_RE = re.compile(r"^(?:(?:联系我们|网站地图|设为首页|加入收藏)\s*|[^\s《》“”!！,,。;;::]{1,6}[!！]|[^\s《》“”丨|｜>»›＞::,,。;;]{2,24}\s*[丨|｜]|.{0,80}[>»›＞]|[^\s《》“”丨|｜>»›＞::,,。;;()()]{2,24}[::]"
                            r"|(?:分类|栏目|网站|站点)?导航\s*[::]?|(?:您(?:当前|现在)?|当前|现在)?(?:所在)?的?位置\s*[::]?)\s*")
# a line of the page's navigation, never a title: 您当前所在位置: 首页 > … > 规划计划
BREADCRUMB_RE = re.compile(r"(?:当前|所在|现在的|您的)位置|首页\s*[>»›＞]|[>»›＞].*[>»›＞]|^\s*[>»›＞]|(?:分类|栏目|网站|站点)导航")
# a line of the page around the document, never half of a title: 分类导航, 打印本页, 字体:大 中 小, 返回
# (and the lists of other articles a page shows around it: 相关推荐, 上一篇; a site's widgets: 政务微博; 第2页)
PAGE_LINE_RE = re.compile(r"导航|位置|首页|返回|打印|关闭|字体|字号|分享|浏览|来源|发布|索引号|主题分类|无障碍|联系我们|网站地图|加入收藏|^附件"
                          r"|^(?:相关|热门|精彩|猜你|推荐|上一|下一)\S{0,4}$|^第\s*\d{1,3}\s*页"
                          r"|^(?:政务|官方)?(?:微信|微博|头条|抖音|客户端)(?:公众号)?$|^(?:手机|移动|无障碍)版$")
# a printed page's number on a line of its own (— 2 —, - 3 -, a page that doubled its dashes: — — — 2 —): never part of a title
PAGE_NUMBER_RE = re.compile(r"[—–\-－ \t\u3000]*\d{1,4}[—–\-－ \t\u3000]*")
NOT_A_TITLE = re.compile(r"印发|现将|已经|通知|根据|按照|为了|为贯彻|特制定|[。;;::!?]|^[((]")
FIVE_YEAR = {"十一五": (2006, 2010), "十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025), "十五五": (2026, 2030)}
# the term written out: 国民经济和社会发展第十四个五年规划 is the 十四五 plan (its 2035年远景目标 is a vision, not its end);
# 第十一个五年规划 the 十一五 one
FIVE_YEAR_LONG_RE = re.compile(r"第?(十[一二三四五])个?五年(?:规划|计划)")
# the page's stamp after a title on its line: 2024年…重点工作任务 2024-10-12, … 2023-12-22 07:04:35
# (the three tails below start where a run of spaces does: tried from each space of a long run, they took its square;
# a tail found inside a run is found from its first space as well)
PAGE_STAMP_RE = re.compile(r"(?<!\s)\s+(?:(?:19|20)\d{2}[-./]\d{1,2}[-./]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
                           r"|(?:来源|发布时间|发布日期|时间|日期|作者|浏览次数)\s*[::].*)\s*$")
# a news headline that is the title and what happened to it: …三年行动计划发布 / …实施方案出台 / …若干措施正式印发
BULLET_RE = re.compile(r"^[•·●○■□◆◇▪▸►]\s*")
# a news page's line speaking to its reader above the title it shows (小编带你了解 / 一起来看 / 一图读懂): no part of it
NEWS_LEAD_IN_RE = re.compile(r"小编|带你|一起来看|一图读懂|速看|划重点")
NEWS_TAIL_RE = re.compile(r"(?<!\s)\s*(?:正式|近日)?(?:发布|出台|印发|公布|出炉)了?$")
# a site's tag before a title on its line: 【政策文件】…, 【转载】…
TAG_PREFIX_RE = re.compile(r"^【[^【】]{1,10}】\s*(?=\S)")
# who issues a document, as its title begins: 国务院关于…的意见, 金华市人民政府关于…的若干意见
ISSUER_PREFIX_RE = re.compile(r"^(?P<org>国务院(?:办公厅)?|(?:中共)?[\u4e00-\u9fff]{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会))关于")
# a line that is only an organisation's name, and a date of year and month under it: the cover of a plan
# (庐江县人民政府 / 2021 年 5 月), which signs it as a 落款 signs a notice
ORG_LINE_RE = re.compile(r"^(?:中共)?[\u4e00-\u9fff]{2,30}(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|局|厅|委)$")
MONTH_LINE_RE = re.compile(r"^(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(?:\s*[\d一二三四五六七八九十]{1,3}\s*日)?$")
RANGE_RE = re.compile(r"(\d{4})\s*年?\s*[—–\-~至到]+\s*(\d{4})\s*年?")
# (2023年—2025年) alone on a line, under the title
YEARS_LINE_RE = re.compile(r"\s*[((]\s*" + RANGE_RE.pattern + r"\s*[))]\s*")
YEAR_RE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})\s*年(?!\d{1,2}\s*月(?!份))")  # 2022年工作要点, 2023年10件实事, 2022年12月份…推进情况; not (2023年10月), a date
DATE_LINE_RE = re.compile(r"^[((]?\s*(\d{4})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*[))]?$|(?:发布|成文|印发|发文)(?:时间|日期)\s*[::]?\s*\|?\s*(\d{4})[-./年]")
CN_DATE_RE = re.compile(r"^[((]?\s*([〇○零一二三四五六七八九]{4})\s*年[〇○零一二三四五六七八九十]{1,3}月[〇○零一二三四五六七八九十]{1,3}日")
# the page's own date field (时间:2018-11-22, 日期:2020-06-28 16:20): when it was put online, read only
# when the text gives no 落款 date and no document number
PAGE_DATE_RE = re.compile(r"(?:^|[\s|]|(?:发布|发表|公开|成文|更新|生成))(?:时间|日期)\s*[::]\s*\|?\s*((?:19|20)\d{2})\s*[-./年]\s*\d{1,2}")
DOC_NUMBER_LINE_RE = re.compile(r"^\S{1,12}\s*[〔\[［(【]\s*(\d{4})\s*[〕\]］)】]\s*\d{1,4}\s*[号號]\s*$")
# a document number anywhere on a line of the notice or the title: (皖政[2001]85號), …的通知(韶府〔2019〕31號)
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[［(【]\s*((?:19|20)\d{2})\s*[〕\]］)】]\s*第?\s*\d{1,4}\s*[号號]")
# a line that cites other documents (根据《…》(国发〔2016〕56号)精神): their numbers are not this one's
CITED_RE = re.compile(r"根据|按照|依据|依照|参照|贯彻|落实")
CITING_RE = re.compile(r"根据|按照|依据|依照|参照|贯彻|落实|》\s*[((]?\s*$")
MAX_LINE = 80  # a title line is at most this long; a longer first line is a text run together
UNTIL_RE = re.compile(r"(?:到|至|截至)\s*(\d{4})\s*年|(\d{4})\s*年(?:底|末)?前")
# a document-sharing page's note on editing the file, before a title and at each of its page breaks (下载后可任意编辑,
# word版可编辑): no part of the title
EDIT_NOTE_RE = re.compile(r"^[^\s,,。;;::、]{0,8}?可(?:任意|自由)?编辑(?:版)?")
# a text run into one line: its title, then the addressees up to their colon (…整顿方案局机关各科室、各企事业单位:为做好…)
RUN_TOGETHER_RE = re.compile(rf"(?P<title>[^\s,,。;;::、《》]{{4,60}}{GENRE})(?P<to>[^\s,,。;;::《》]{{2,20}}(?:、[^\s,,。;;::《》]{{2,20}}){{0,8}})[::]")
# a text run into one line whose title runs straight into the opening sentence of the plan (…行动计划(2021-2022年)为提高…,
# a draft's …行动方案(征求意见稿)(2023-2025年)为深入…,
# …实施方案根据…), a sharing page's page marker (1、) before it
RUN_IN_OPENING_RE = re.compile(rf"(?:\d{{1,3}}、)?(?P<title>[^\s,,。;;::、《》]{{4,60}}?{GENRE}(?:[((]征求意见稿[))])?(?:[((]\d{{4}}\s*年?\s*[—–\-~至到]+\s*\d{{4}}\s*年?[))])?)"
                               r"(?=为(?!期)|根据|按照|依据|近年来|当前)")
# a line that is an item of a list (1. …, 2、…, (1)…) or of the notice's list of attachments (附件:1. …): a title line only
# when nothing else names the plan (3.2019年…进展情况表: an item's number before a year, no decimal)
LIST_ITEM_RE = re.compile(r"^\s*(?:附\s*件\s*\d{0,2}\s*[::]?\s*)?(?:\d{1,3}\s*[.、.．](?!\d)|\d{1,3}[.．](?=(?:19|20)\d{2}\s*年)|[((]\d{1,3}[))])\s*")
# what a document-sharing page writes after the file name of its heading: the pages, the file type (…方案(18頁).docx)
FILE_NAME_TAIL_RE = re.compile(r"(?<!\s)(?:\s*[((]\s*\d{1,4}\s*页\s*[))])?\s*\.(?:docx?|pdf|wps|txt)\s*$|(?<!\s)\s*[((]\s*\d{1,4}\s*页\s*[))]\s*$")


@dataclass
class Found:
    what: str  # "title" | "period" | "issued"
    value: object
    span: Span  # the line it came from
    how: str


def title_line(text: str, spans: list[Span], index: int) -> tuple[Mention, tuple[int, int] | None] | None:
    """The title if line ``index`` is a title line (joined with the short lines above it that
    carry its first half), and the years a trailing (2018—2020年) states."""
    line = SIGNED_RE.sub("", LABEL_PREFIX_RE.sub("", TAG_PREFIX_RE.sub("", PAGE_STAMP_RE.sub("", spans[index].of(text).strip())))).strip(" |\u3000")
    line = ANNEX_PREFIX_RE.sub("", line)
    line = BULLET_RE.sub("", line)  # • 临汾市水污染防治2018年行动计划: a list's bullet on a digest page, no part of the title
    if (cut := NEWS_TAIL_RE.sub("", line)) != line and TITLE_LINE_RE.fullmatch(cut):
        line = cut
    stripped = without_site_prefix(line)
    if stripped == line and BREADCRUMB_RE.search(line):
        return None  # the page's navigation
    line = stripped
    from .tableheads import is_column_head

    if is_column_head(line):
        return None  # 重点工作任务 heading a column of a table the page gave one cell a line
    m = TITLE_LINE_RE.fullmatch(line)
    if not m or NOT_A_TITLE.search(m.group("title").replace("《", "").replace("》", "")) or len(line) > MAX_LINE:
        return None
    raw = spans[index].of(text)
    at = raw.find(m.group("title"))
    if at < 0:
        return None
    start = index
    # a line that is only the genre's words (责任分解方案, 规划) carries no title of its own: the line above
    # goes with it even when that line ends in a genre word too (…目标任务 / 责任分解方案)
    tail_only = GENRE_ONLY_RE.fullmatch(line) is not None
    while (start > 0 and _continues(text, spans[start - 1], loose=tail_only and start == index) and index - start < 3
           and not text[spans[start - 1].end:spans[start].start].strip()  # only the line right above: none left out between
           and not line.startswith(spans[start - 1].of(text).strip())):  # 辽阳 / 辽阳市…清单: a site's name the title opens with
        start -= 1
    begin = spans[index].start + at if start == index else spans[start].start
    head = mention(text, begin, spans[index].start + at + len(m.group("title")))
    if head is None:
        return None
    joined = "".join(part.strip() for part in head.text.splitlines())
    if re.fullmatch(GENRE, joined):
        return None  # 计划 alone: a column's name or a heading's word, no document's title (重点工作责任分解 may be one)
    years = None
    if m.group("tail"):
        r = RANGE_RE.search(m.group("tail"))
        one = re.fullmatch(r"[((]\s*(\d{4})\s*年度?[))]", m.group("tail"))  # …责任分解(2023年): a one-year plan
        years = (int(r.group(1)), int(r.group(2))) if r else (int(one.group(1)),) * 2 if one else None
    return Mention(joined, head.span), years


def without_site_prefix(line: str) -> str:
    """The line without a breadcrumb or site column before its title, when the rest is a title line."""
    m = SITE_PREFIX_RE.match(line)
    if m and m.end() < len(line):
        rest = line[m.end():].strip()
        t = TITLE_LINE_RE.fullmatch(rest)
        if (t and len(rest) >= 8 and not NOT_A_TITLE.search(t.group("title").replace("《", "").replace("》", ""))
                and not BREADCRUMB_RE.search(rest)):
            return rest
    return line


def _continues(text: str, span: Span, loose: bool = False) -> bool:
    """A short line without punctuation that a title goes on from (加快科技双创孵化载体建设 / …实施方案).
    ``loose``: it may end in a genre word itself (the next line holds nothing but more of them)."""
    line = span.of(text).strip()
    line = re.sub(r"[((][\u4e00-\u9fff]{1,8}[区县市旗州][))]$", "", line)  # 北京城市副中心(通州区): a place after a name
    return (2 <= len(line) <= 30 and not re.search(r"[,,。;;::、!?!?()()|]|\d{4}\s*[年./-]\s*\d{1,2}|[〔\[]\d{4}|\d{4}$|通知|号$"
                                                  r"|(?<!政务)公开", line)
            and not re.search(r"(办公室|办公厅|人民政府|委员会|政府)$", line) and not CN_DATE_RE.search(line)
            and not NEWS_LEAD_IN_RE.search(line)
            and not PAGE_LINE_RE.search(line) and not BREADCRUMB_RE.search(line) and not PAGE_NUMBER_RE.fullmatch(line)
            and (loose or not TITLE_LINE_RE.fullmatch(line)))


def find_title(text: str, spans: list[Span], opening: Span | None = None) -> Found | None:
    """The plan's title: its own title line (the last one before the body wins over the notice's
    lines), else the 《…》 or 关于印发…的通知 of the notice that issues it, else the start of a text run into one
    line (``opening``: the body's first line, where a page marker 1、 made the run-in text look like an item),
    else a sharing page's heading, else an item of a list (附件:1. …)."""
    from .tableheads import is_column_head

    best = item = None
    named = _named_by_notice(text, spans)
    for i, s in enumerate(spans):
        if best and (is_column_head(s.of(text)) or HEADER_ROW_RE.match(s.of(text))):
            break  # a table's header (序号 / 序号 目标任务 责任单位 上半年推进情况): its columns' names are no title
        got = title_line(text, spans, i)
        if got and LIST_ITEM_RE.match(s.of(text)) and _squeezed(got[0].text) not in named:
            # 附件:1. 2022年…分解表, 2. …: an item of a list, the title only when nothing else qualifies
            item = item or Found("title", got, s, "an item of a list (nothing else names the plan)")
            continue
        if got and named and _squeezed(got[0].text) not in named and REPORT_END_RE.search(got[0].text):
            continue  # 2022年工作完成情况 under a notice that issues …分工方案: a part reporting last year's work, not the plan
        if got and best and _squeezed(best.value[0].text).endswith(_squeezed(got[0].text)):
            continue  # 和市政府工作报告重点工作责任分解 after …涉杭任务和市政府工作报告重点工作责任分解: a repeated heading's end
        if got and not (best and best.how.startswith("the title line the notice names") and _squeezed(got[0].text) not in named):
            # a later line ending in a genre word (“十三五”应急体系9个具体建设任务) is a heading of a part
            # once a line that is the title the notice issues has been met
            how = "the title line the notice names" if _squeezed(got[0].text) in named else "a title line"
            best = Found("title", got, s, how)
    if best and best.how == "a title line":
        cut = _squeezed(best.value[0].text)
        for found in _notice_titles(text, spans):  # 吉首市…一揽子政策 over the body, where the notice issues …一揽子政策措施实施方案
            named = _squeezed(found.value[0].text)
            if named.startswith(cut) and re.match(r"[\u4e00-\u9fff]", named[len(cut):]):  # more words, not (2022—2025年)
                return Found("title", found.value, found.span, "the title the notice issues (the title line above the plan is cut short)")
            # 海东市与兰州市、临夏州共同推进 / 兰西城市群建设2020年重点任务清单: the title's first half, on the line above, has a
            # 、 that keeps it from being joined; the notice names the whole
            if len(named) > len(cut) and named.endswith(cut) and re.search(r"[\u4e00-\u9fff]$", named[:-len(cut)]):
                return Found("title", found.value, found.span, "the title the notice issues (the title line above the plan is its end)")
    if best:
        return best
    for n, s in enumerate(spans):  # 《…实施细则》 alone on one of the first lines, before any notice: the document's own title
        line = s.of(text).strip()
        m = QUOTED_LINE_RE.fullmatch(line) if n < 3 else None
        if m is None:  # 《…方案_页2》由会员上传分享…: the caption of a document-sharing page, below whatever the page put above
            m = QUOTED_LINE_RE.match(line)
            m = m if m and SHARED_CAPTION_RE.match(line, m.end()) else None
        if m:
            at = s.start + s.of(text).index(m.group("title"))
            title = Mention(re.sub(r"\s+", "", m.group("title")), Span(at, at + len(m.group("title"))))
            r = RANGE_RE.search(title.text)
            return Found("title", (title, (int(r.group(1)), int(r.group(2))) if r else None), s, "the 《…》 standing alone on a first line")
    for regex, how in ((ISSUING_RE, "the 《…》 the notice issues (现将《…》印发)"), (NOTICE_TITLE_RE, "the notice's title (关于印发…的通知)"),
                       (QUOTED_RE, "the 《…》 the notice issues")):
        for s in spans:
            line = s.of(text)
            for m in regex.finditer(line):
                if regex is not ISSUING_RE and ("《" in line[: m.start()] or not NOTICE_VERB_RE.search(line)):
                    continue  # a document the text cites, not the one it issues
                if regex is QUOTED_RE and CITED_RE.search(re.split(r"[。;;,,]", line[: m.start()])[-1]):
                    continue  # 为贯彻落实国家发展改革委印发的《…规划》: another body's document, cited in the clause that names it
                start = s.start + m.start("title")
                title = Mention(re.sub(r"\s+", "", m.group("title")), Span(start, s.start + m.end("title")))
                r = RANGE_RE.search(title.text)
                years = (int(r.group(1)), int(r.group(2))) if r else None
                return Found("title", (title, years), s, how)
    found = _run_together_title(text, spans + ([opening] if opening is not None else [])) or _page_heading(text, spans)
    if found:
        return found
    for i in range(len(spans)):  # a notice that is itself the document (…2018年重点工作任务的通知, the tasks below it)
        for j in (i, i + 1):
            if j >= len(spans) or (j > i and not _continues(text, spans[i])):
                continue
            head = mention(text, spans[i].start, spans[j].end)
            tag = TAG_PREFIX_RE.match(head.text) if head else None  # 【民生实事】关于下达…的通知: the site's tag is no part of it
            head = mention(text, head.span.start + tag.end(), head.span.end) if tag else head
            joined = "".join(part.strip() for part in head.text.splitlines()) if head else ""
            if not SELF_NOTICE_RE.fullmatch(joined) and (site := SITE_SUFFIX_RE.search(joined)):
                joined = joined[:site.start()]  # …责任分解的通知-某某网络平台: the page's site after its title
            if SELF_NOTICE_RE.fullmatch(joined):
                return Found("title", (Mention(joined, head.span), None), spans[i], "the notice's own title (the tasks are in it)")
            if j == i and i < 3 and above_addressees(text, spans, i, joined):
                return Found("title", (Mention(joined, head.span), None), spans[i],
                             "the notice's own title, above its addressees (the tasks are in it)")
    if (named := news_or_public_notice(text, spans, re.compile(rf"{GENRE}$"), NOTICE_TITLE_RE)) is not None:
        return Found("title", (Mention(text[named[0]:named[1]], Span(named[0], named[1])), None), Span(named[0], named[1]), named[2])
    if item:  # 1. 2022年…分解表: the number is the list's, not the title's
        (got, years), line = item.value, item.span.of(text)
        cut = LIST_ITEM_RE.match(line).end()
        if got.span.start < item.span.start + cut:
            at = item.span.start + cut
            got = Mention(text[at:got.span.end].strip(), Span(at, got.span.end))
        return Found("title", (got, years), item.span, item.how)
    return None


def _page_heading(text: str, spans: list[Span]) -> Found | None:
    """The page's heading as the title when the text has no title line of its own: the first line, once what a
    document-sharing page writes after a file name is taken off (…行动计划方案(2021-2022年)(18頁).docx)."""
    if not spans:
        return None
    s = spans[0]
    raw = s.of(text)
    line = FILE_NAME_TAIL_RE.sub("", raw.strip())
    if line == raw.strip():
        return None  # only a file name's heading: any other first line is read by the rules before this one
    m = TITLE_LINE_RE.fullmatch(line)
    if not m or NOT_A_TITLE.search(m.group("title")) or len(line) > MAX_LINE:
        return None
    at = s.start + raw.index(line)
    title = Mention(line, Span(at, at + len(line)))
    r = RANGE_RE.search(line)
    return Found("title", (title, (int(r.group(1)), int(r.group(2))) if r else None), s, "the page's heading (a file name)")


def _run_together_title(text: str, spans: list[Span]) -> Found | None:
    """The title of a text a page ran into one line: it opens the line, ends in a genre word and is followed by the
    addressees and their colon, each a body (…整顿方案 / 局机关各科室、各企事业单位:), a sharing page's editing note
    before it taken off; or followed by the plan's opening sentence (…行动计划(2021-2022年)为提高…).  Read only on the first
    line too long to be a title line, among the first ten (a sharing page's short fields may stand above it)."""
    long_lines = [s for s in spans[:10] if len(s.of(text).strip()) > MAX_LINE]
    for s in long_lines[:1]:
        line = s.of(text)
        lead = len(line) - len(line.lstrip())
        note = EDIT_NOTE_RE.match(line, lead)
        at = note.end() if note else lead
        m = RUN_TOGETHER_RE.match(line, at)
        if m and not NOT_A_TITLE.search(m.group("title")) and all(ADDRESSEE_RE.fullmatch(part) for part in m.group("to").split("、")):
            title = Mention(m.group("title"), Span(s.start + m.start("title"), s.start + m.end("title")))
            return Found("title", (title, None), s, "the start of a text run into one line, before its addressees")
        m = RUN_IN_OPENING_RE.match(line, at)
        if m and not NOT_A_TITLE.search(m.group("title")):
            title = Mention(m.group("title"), Span(s.start + m.start("title"), s.start + m.end("title")))
            r = RANGE_RE.search(title.text)
            return Found("title", (title, (int(r.group(1)), int(r.group(2))) if r else None), s,
                         "the start of a text run into one line, before its opening sentence")
    return None


def _notice_titles(text: str, spans: list[Span]) -> list[Found]:
    """The titles the notice issues (现将《…》印发, 关于印发…的通知), each with the line it stands in."""
    out = []
    for s in spans:
        line = s.of(text)
        if NOTICE_VERB_RE.search(line):
            for regex in (ISSUING_RE, NOTICE_TITLE_RE, HANDED_OUT_RE):
                for m in regex.finditer(line):
                    title = Mention(re.sub(r"\s+", "", m.group("title")), Span(s.start + m.start("title"), s.start + m.end("title")))
                    r = RANGE_RE.search(title.text)
                    out.append(Found("title", (title, (int(r.group(1)), int(r.group(2))) if r else None), s, "the notice"))
    return out


def _squeezed(title: str) -> str:
    return re.sub(r"[\s《》〈〉<>]", "", title)


def _named_by_notice(text: str, spans: list[Span]) -> set[str]:
    """The titles the notice issues (关于印发…的通知, 现将《…》印发), without spaces and brackets."""
    return {_squeezed(found.value[0].text) for found in _notice_titles(text, spans)}


def period_from_title(title: str) -> tuple[tuple[int, int], str] | None:
    r = RANGE_RE.search(title)
    if r and int(r.group(1)) <= int(r.group(2)):
        return (int(r.group(1)), int(r.group(2))), "the years in the title"
    for word, years in FIVE_YEAR.items():
        if word in title:
            return years, f"{word} in the title"
    m = FIVE_YEAR_LONG_RE.search(title)
    if m and (word := m.group(1) + "五") in FIVE_YEAR:
        return FIVE_YEAR[word], f"the {word} term in the title ({m.group()})"
    years = {int(y) for y in YEAR_RE.findall(title)}
    if len(years) == 1:  # 2022年工作要点, (2025年版)
        y = years.pop()
        return (y, y), "the year in the title"
    return None


def _cn_year(digits: str) -> int | None:
    table = {**CN_DIGITS, "〇": 0, "○": 0, "零": 0}
    try:
        return int("".join(str(table[ch]) for ch in digits))
    except KeyError:
        return None


def find_issued(text: str, spans: list[Span]) -> Found | None:
    """The year the plan was issued: the 落款 date, a date field, or the document number on a line of its own."""
    for s in spans:
        line = s.of(text).strip()
        m = DATE_LINE_RE.search(line)
        if m:
            return Found("issued", int(m.group(1) or m.group(2)), s, "the date line")
        m = CN_DATE_RE.search(line)
        if m and (year := _cn_year(m.group(1))):
            return Found("issued", year, s, "the date line")
    for s in spans:
        m = DOC_NUMBER_LINE_RE.search(s.of(text).strip())
        if m:
            return Found("issued", int(m.group(1)), s, "the document number")
    for s in spans:  # (皖政[2001]85號) / …的通知(韶府〔2019〕31號): the number on a line that cites no other document
        line = s.of(text)
        for m in DOC_NUMBER_RE.finditer(line):
            if not CITING_RE.search(line[: m.start()]):
                return Found("issued", int(m.group(1)), s, "the document number")
    for s in spans:
        m = PAGE_DATE_RE.search(s.of(text))
        if m:
            return Found("issued", int(m.group(1)), s, "the page's date field (the text gives no date of its own)")
    return None


def find_period(text: str, title: str, front: list[Span], body: Span | None) -> Found | None:
    """The period: years in the title; else from the year of issue to the last 到20XX年 the text
    sets a goal for (a one-year plan when it sets none); else the goal years alone."""
    got = period_from_title(title)
    if got:
        return Found("period", got[0], front[0] if front else Span(0, 0), got[1])
    for s in front:  # (2023年—2025年) on a line of its own, under the title
        r = YEARS_LINE_RE.fullmatch(s.of(text))
        if r and int(r.group(1)) <= int(r.group(2)):
            return Found("period", (int(r.group(1)), int(r.group(2))), s, "the years on a line of their own")
    for s in front:
        r = RANGE_RE.search(s.of(text))
        if r and re.search(r"规划期|实施期|期限|时间跨度", s.of(text)) and int(r.group(1)) <= int(r.group(2)):
            return Found("period", (int(r.group(1)), int(r.group(2))), s, "the period the text states")
    bare = re.sub(r"\s+", "", title)
    for s in front:  # a news headline naming the document with its year: 省政府印发2020年政府工作报告重点工作责任分解通知
        r = re.search(r"(\d{4})年度?" + re.escape(bare), re.sub(r"\s+", "", s.of(text))) if len(bare) >= 6 else None
        if r:
            return Found("period", (int(r.group(1)), int(r.group(1))), s, "the year a front line gives with the title")
    issued = find_issued(text, front)
    scope = text if body is None else text[: body.end]
    goals = sorted({int(a or b) for a, b in UNTIL_RE.findall(scope)})
    if issued:
        start = issued.value
        later = [y for y in goals if start <= y <= start + 15]
        end = later[-1] if later else start
        how = f"issued in {start} ({issued.how})" + (f", goals until {end}" if later else ", no later goal year: one year")
        return Found("period", (start, end), issued.span, how)
    if goals:
        return Found("period", (goals[0], goals[-1]), front[0] if front else Span(0, 0), "the goal years (到20XX年) the text states")
    named = [(s, int(y)) for s in front for y in YEAR_RE.findall(s.of(text))]
    if named and len({y for _, y in named}) == 1:  # 六安市1至8月份…进度通报 / 为扎实推进我市2021年33项民生工程…: a report on one year
        return Found("period", (named[0][1], named[0][1]), named[0][0], "the one year the lines before the body name: one year")
    return None


def find_issuer(text: str, title: Mention | None, spans: list[Span]) -> tuple[list[Mention], Found] | None:
    """Who issues the plan when no notice signs it: the organisation the title starts with (国务院关于…的意见),
    else a cover that names it on a line of its own with the year and month under it (庐江县人民政府 / 2021 年 5 月)."""
    if title is not None:
        m = ISSUER_PREFIX_RE.match(title.text)
        if m and text[title.span.start: title.span.start + len(m.group("org"))] == m.group("org"):
            span = Span(title.span.start, title.span.start + len(m.group("org")))
            return [Mention(m.group("org"), span)], Found("issuer", m.group("org"), span, "the title (X关于…)")
    for here, below in itertools.pairwise(spans):
        line = here.of(text).strip()
        if ORG_LINE_RE.fullmatch(line) and MONTH_LINE_RE.fullmatch(below.of(text).strip()):
            at = here.start + here.of(text).index(line)
            span = Span(at, at + len(line))
            return [Mention(line, span)], Found("issuer", line, here, "the cover (the name with the year and month under it)")
    return None
