"""How far along a figure is (issue 12): planned, committed, achieved, or unknown (the scheme's own structure).

The verb that governs the figure decides, with its own tense words (已, 将, 拟, 正在, 累计); then the
sentence before it, the paragraph's list it belongs to, the heading above it, and last its period against
the year the article was published. A figure stated as a fact with none of these cues reports what is: achieved.
Every cue below names a class of phrasing, not a sentence of one article.
"""

import re

from .sentences import SENTENCE_END, SENTENCE_MARKS

STAGES = ("unknown", "planned", "committed", "achieved")  # in order of how far along

# 计划 inside a name or a comparison says nothing of the figure (年初计划, 计划外资金, 计划单列市, 较计划多).
_NOT_A_PLAN = r"(?:年初|年度|原|超|超额完成|按)计划|(?:较|比)(?:中央|年初|年度|原)?计划|计划(?:外|单列|内)|规划外"
NOT_A_PLAN = re.compile(_NOT_A_PLAN)
NOT_A_PLAN_OR_TOTAL = re.compile(_NOT_A_PLAN + r"|计划总投资")
# A modal before a verb makes what the verb does intended: 计划安排, 拟安排, 将开工, 预计完成, 力争帮扶.
# A modal in a list of nouns is a noun (建设规划、民生等领域的项目).
# 将 before the money it puts to a use (将援疆资金的80%用于民生) is not the future.
WILL = r"将(?!近|军|其|之|这|此|来|(?:援疆|项目|财政)?资金|总量)"
PLANNED_MODAL = re.compile(rf"(?:计划|拟|{WILL}|预计|规划|力争|准备|意向|有望|目标)(?![、的等])")
# The future between a verb and its figure (到位资金将达…) makes it planned; a 计划 there is a noun (完成计划的90%).
FUTURE = re.compile(rf"{WILL}|预计|有望|力争")
# Capacities and jobs 'once built': 建成后可提供, 达产后可实现, 资金到位后可以实施.
ONCE_BUILT = re.compile(r"(?:建成|达产|投产|投用|运营|完工|到位|实施)后[，,]?(?:可|将|能|预计)")
# Built 'once', with no modal, reaches what follows too (完工后一水厂日产水5万吨; 全部建成后，年产…，实现产值…),
# unless a tense of its own says it is reached (建成后，已有…, 投产后解决了…).
ONCE_COMPLETED = re.compile(r"(?:建成|完工|达产|投产)后")
REACHED = re.compile(r"已|了|累计|先后")
# Verbs, each with the stage of what it does. Longer forms first: 开工建设 before 建设, 完成投资 before 投资.
VERBS = [
    ("planned", r"意向|谋划|储备"),
    ("unknown", r"对口支援|对接洽谈|洽谈|坚持|现有|巩固"),
    ("achieved", r"完成(?:投资|建设)?|建成|竣工|投用|投入使用|交付使用|投产|到位|到疆|拨付|投入|捐赠|捐助|"
                 r"培训|培养|选派|派出|援建|新建|改建|实施|开展|组织|带动|吸纳|解决|惠及|受益|覆盖|资助|"
                 r"聘请|诊治|引进|争取|集聚|举办|开办|购置|改造|修建|发放|接待|下拨|新增|实现|获得|补贴|帮建|"
                 r"开发了|建设了|吸引|入住|住进|种上|扎根|接受|进修|来到|进疆|赴|转移|安置|招录|招聘|捐|义诊|接诊|"
                 r"救治|销售|采购|消费帮扶|建立|成立|入驻|培育|开设|派驻|支教|挂职|接收|招收|奖励|帮助|帮扶|"
                 r"辐射|增收|筹集|募集|达到|突破|落实"),
    ("committed", r"开工(?:建设)?|开建|动工|正在(?:建设|实施|开展)?|在建|续建|安排|下达|预拨|签约|签订|协议|"
                  r"落地|落户|促成|达成|抓好|确定|确立|启动|推进|配套|设立|筹措|投资"),
    ("achieved", r"建设"),
]
# Verbs that govern only where no other verb of the clause does: 带动企业投资, 下达对口支援…项目计划.
WEAK_VERBS = ("投资", "建设", "对口支援")
VERB = re.compile("|".join(f"(?P<{stage}{i}>{pattern})" for i, (stage, pattern) in enumerate(VERBS)))
# Tense words of their own, read where no verb governs the figure.
TENSE = [("planned", PLANNED_MODAL), ("achieved", re.compile(r"已|累计|先后|截至|目前|如今|共")),
         ("committed", re.compile(r"正在"))]
# Words that say a verb's own act is done, so a plan stated earlier in the sentence does not reach it.
OWN_TENSE = re.compile(r"(?:已经?|累计|先后|共|目前|实际|实现|新增)(?:全部|均|都)?$")
# A project's own attributes without a verb of their own take the project's status.
ATTRIBUTE = re.compile(r"(?:计划)?总投资额?|占地(?:面积)?|(?:总)?建筑面积|面积|年生?产值?|产能|能力|规模")
# An attribute expected (预计年产值, 预计年生产) is planned, and so is the rest of its list (…，实现年销售收入94亿元);
# 计划总投资 is a project's budget, whatever its status.
PLANNED_ATTRIBUTE = re.compile(rf"(?:预计|{WILL}|有望|力争)(?:{ATTRIBUTE.pattern})")
# A modal directly before a verb states a plan that reaches the later verbs of its list (计划安排…，投入…).
PLAN_FRAME = re.compile(f"(?:{PLANNED_MODAL.pattern})(?:{VERB.pattern})|{PLANNED_ATTRIBUTE.pattern}")
# A plan document as the sentence's subject (我省“十三五”援疆规划，…安排项目70个): what it lists is planned.
PLAN_SUBJECT = re.compile(r"[^，,：:]{0,16}(?:规划|计划)[”\"]?[，,]")
PROGRESS_REPORT = re.compile(r"截至|截止|已")
COMPLETIVE = ("完成", "建成", "竣工", "投用", "投产", "到位", "到疆", "拨付")
# 开工 is a commitment; stated as already reached it is progress achieved (已开工项目86个).
PROGRESS = re.compile(r"开工|开建|动工")
ALL_OR_ALREADY = re.compile(r"已|全部")
# Rates of a plan's progress are achieved (到位率, 开工率, 完成率, 完工率).
PROGRESS_RATE = re.compile(r"(?:到位|到疆|开工|完成|完工|竣工|投产)率")
# A share of something (占…的80%, 占比, 比重) takes the stage of what it measures, not of its denominator.
SHARE = re.compile(r"占[^，,；;。]*?的?$|占比|比重|比例")
BUILT = re.compile(r"建成|投用|投入使用|交付使用|投产|入住|住进|竣工|开放|落成|完工")
UNDER_WAY = re.compile(r"签约|签订|落户|落地|开工|动工|正在|在建|续建|收尾|阶段|封顶|施工|浇筑|"
                       r"预计[^，,。]*?(?:投用|投产|建成)")
# A year's aid money named with no verb (2017年援疆资金933万元, 今年援疆资金…): the year's allocation.
YEAR_ALLOCATION = re.compile(r"(?:\d{4}|今|本|当|明)年度?(?:的?(?:对口)?援疆资金|[^，,。；;、]{0,12}项目)$")
# Built 'once' or 'expected': still to come (预计年底投用, 将于明年投产).
FUTURE_BUILT = re.compile(r"(?:预计|将|建成后)[^，,。]{0,6}(?:投用|投产|建成)")
TO_BE_BUILT = re.compile(r"拟建|计划|规划|将建|建成后|谋划|储备")
# The figure's own clause ends at phrase punctuation; a list (、) stays inside.
CLAUSE_BREAK = re.compile(r"[，,：:；;﹔。！？!?（）()—]")
PHRASE_BREAK = re.compile(r"[，,：:；;﹔。]")  # a list in brackets (…（示范园）和9座) is still one phrase
# A plan's amount named just before a figure (规划任务, 计划援助资金); not 计划外资金.
PLAN_AMOUNT = re.compile(r"(?:规划|计划)(?!外)[^，,、的]{0,6}$")
HEADING_PLAN = re.compile(r"计划|规划|目标|任务")
HEADING_REPORT = re.compile(r"完成|进展|情况|成效|成果|回顾")
CARRY_CLAUSES = 12
CARRY_WINDOW = 600  # characters: twelve clauses are never longer


def stage_of(text: str, start: int, end: int, heading: str = "", published_year: int | None = None,
             period_start: int | None = None) -> str:
    """The stage of the figure at text[start:end] (a paragraph), from its clause outward."""
    stage = _from_text(text, start, end)
    if stage in (None, "committed") and _is_plan_heading(heading):
        return "planned"  # a plan's heading (2025年援疆计划) reaches its list: 安排资金… under it is planned
    if stage == "committed" and published_year and period_start and period_start > published_year:
        return "planned"  # money arranged for a year still to come is a plan
    return stage or "achieved"  # stated as a fact with no cue of plan or commitment: a report of what is


def stated_alike(total_clause: str, part_clause: str) -> bool:
    """Whether a part of a total is stated as the total is: no tense or modal of its own, and no verb or the
    total's own verb (安排资金17.56亿元 … 安排资金0.87亿元; 项目370个 … 智力类项目58个)."""
    if _tense(part_clause) or _modal_before(part_clause):
        return False
    part_verb = _verb(part_clause)
    if part_verb is None:
        return True
    total_verb = _verb(total_clause)
    return total_verb is not None and total_verb.group() == part_verb.group()


def most_advanced(*stages: str) -> str:
    return max(stages, key=STAGES.index)


def _from_text(text: str, start: int, end: int) -> str | None:
    """Rates, 'once built', a project's attributes and shares first; then the figure's clause, then the list before."""
    sentence_start = _sentence_start(text, start)
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, sentence_start, start)), default=sentence_start)
    clause_end_match = CLAUSE_BREAK.search(text, end)
    clause_end = clause_end_match.start() if clause_end_match else len(text)
    # What follows, up to the next number or the use it is put to (…万元用于电商培训 is no verb of the figure).
    before, after = text[clause_start:start], re.split(r"\d|用于|用来", text[end:clause_end], maxsplit=1)[0]
    if PROGRESS_RATE.search(before):
        return "achieved"
    if _once_built(text[sentence_start:start]):
        return "planned"
    if text[start:end].endswith("%") and SHARE.search(before):
        return _carried(text, sentence_start, clause_start)  # 占计划总投资的96.4% is a share, not an attribute
    if _is_attribute(before) or _invested_in(before, after):
        if PLANNED_ATTRIBUTE.search(before):
            return "planned"  # 预计年产值达35亿元
        return _nearest_status(text[sentence_start:start]) or \
            _project_status(text[sentence_start:_sentence_end(text, end)], text[:sentence_start]) or \
            _progress_after(_next_full_sentence(text, end)) or \
            _carried(text, sentence_start, clause_start) or "committed"
    if _names_a_plan(after) or _plan_measured_against(before, after):
        return "planned"
    own = _governing(text, sentence_start, clause_start, start) or _verb_after(after) or _tense(before + after)
    if not own and YEAR_ALLOCATION.search(before):
        return "committed"
    return own or _carried(text, sentence_start, clause_start)


def _once_built(lead: str) -> bool:
    if ONCE_BUILT.search(lead):
        return True
    completed = next(reversed(list(ONCE_COMPLETED.finditer(lead))), None)
    return bool(completed) and not REACHED.search(lead[completed.end():])


def _governing(text: str, sentence_start: int, clause_start: int, start: int) -> str | None:
    """The stage of the nearest verb before the figure in its clause, as its modal and tense words make it."""
    before = text[clause_start:start]
    verb = _verb(before)
    if not verb:
        return None
    stage = verb.lastgroup.rstrip("0123456789")
    lead = text[sentence_start:clause_start + verb.start()]
    if _modal_before(before[:verb.start()]) or FUTURE.search(before[verb.end():]):
        return "planned"  # 计划10年内为哈密培训…, 到位资金将达…
    own_tense = OWN_TENSE.search(lead[-12:]) or "了" in before[verb.end():verb.end() + 2]
    if stage == "committed" and PROGRESS.match(verb.group()) and "正在" not in lead[-4:] and \
            (own_tense or PROGRESS_REPORT.search(lead)):
        return "achieved"
    if stage != "planned" and not own_tense and not verb.group().startswith(COMPLETIVE) and _in_plan_frame(lead):
        return "planned"
    return stage


def _verb(clause: str) -> re.Match | None:
    """The verb nearest before the figure; a weak one only where no other verb of the clause governs."""
    verbs = [m for m in VERB.finditer(clause) if not _in_name(clause, m)]
    strong = [m for m in verbs if m.group() not in WEAK_VERBS]
    if verbs and verbs[-1].group() in WEAK_VERBS and strong:
        return strong[-1]
    return verbs[-1] if verbs else None


def _in_plan_frame(lead: str) -> bool:
    """A plan stated earlier in the sentence reaches the verbs of its list (计划安排…，投入…), until a verb with a
    tense of its own (新增安排, 已开工, 累计完成) starts another statement."""
    if PLAN_SUBJECT.match(lead):
        return True
    frames = list(PLAN_FRAME.finditer(NOT_A_PLAN.sub("", lead)))
    if not frames:
        return False
    since = NOT_A_PLAN.sub("", lead)[frames[-1].end():]
    return not any(OWN_TENSE.search(since[:m.start()]) or m.group().startswith(COMPLETIVE)
                   for m in VERB.finditer(since))


def _is_attribute(before: str) -> bool:
    """总投资8000万元, 占地面积60亩: an attribute with no verb of its own (完成总投资 has one)."""
    match = next(reversed(list(ATTRIBUTE.finditer(before))), None)
    return bool(match) and len(before) - match.end() <= 2 and not _verb(before[:match.start()])


def _invested_in(before: str, after: str) -> bool:
    """投资5600万元、年产…的公司: the sum invested in a project named after it, an attribute of the project."""
    return before.endswith("投资") and after[:1] in ("、", "的")


def _verb_after(after: str) -> str | None:
    """A verb after the figure in its clause (10个项目全部竣工, 2.8万户农牧民受益)."""
    verbs = list(VERB.finditer(after))
    if not verbs:
        return None
    verb = verbs[-1]  # the head of what follows: 企业确定了投资意向
    if _modal_before(after[:verb.start()]):
        return "planned"
    if PROGRESS.match(verb.group()) and ALL_OR_ALREADY.search(after[:verb.start()]):
        return "achieved"  # 这40个项目已全部开工; 15个援疆项目全部开工 (a plan's progress, not a groundbreaking)
    return verb.lastgroup.rstrip("0123456789")


def _tense(before: str) -> str | None:
    for stage, pattern in TENSE:
        if pattern.search(NOT_A_PLAN.sub("", before)):
            return stage
    return None


def _carried(text: str, sentence_start: int, clause_start: int) -> str | None:
    """A figure with no cue of its own continues the list before it: its sentence, then the paragraph's."""
    for clause_end in _clause_ends(text, clause_start):
        start = _sentence_start(text, clause_end)
        clause_begin = max((m.end() for m in CLAUSE_BREAK.finditer(text, start, clause_end - 1)), default=start)
        before = text[clause_begin:clause_end]
        stage = _governing(text, start, clause_begin, clause_end) or _tense(before)
        if stage == "unknown" and PHRASE_BREAK.search(text, clause_end, clause_start + 1):
            return None  # 坚持…，援疆资金的80%…: a clause about the scheme lends nothing past its comma
        if stage:
            return stage
    return None


def _clause_ends(text: str, clause_start: int) -> list[int]:
    """Ends of the clauses before the figure's, nearest first; a list's frame is never far back."""
    window = max(0, clause_start - CARRY_WINDOW)
    return [m.start() for m in reversed(list(CLAUSE_BREAK.finditer(text, window, clause_start)))][:CARRY_CLAUSES]


def _nearest_status(lead: str) -> str | None:
    """The status the sentence gives the project nearest before its attribute: 落地产业项目201项，总投资…，其中87个
    项目竣工投产 is the landed projects' total, whatever a later clause says of some of them."""
    lead = NOT_A_PLAN_OR_TOTAL.sub(lambda m: "＿" * len(m.group()), lead)  # keeps positions
    cues = [(m.end(), stage) for pattern, stage in ((BUILT, "achieved"), (UNDER_WAY, "committed"),
                                                    (TO_BE_BUILT, "planned"))
            for m in pattern.finditer(lead)
            if not (stage == "achieved" and FUTURE_BUILT.search(lead[max(0, m.start() - 10):m.end()]))]
    return max(cues)[1] if cues else None


def _project_status(sentence: str, before_sentence: str) -> str | None:
    """总投资, 占地面积, capacity: as far along as the project they describe, from its sentence or the one before.
    What it will do once built (建成后可满足…) is no sign that it is built."""
    for context in (sentence, before_sentence[-80:]):
        context = ONCE_COMPLETED.sub("后", context)
        if BUILT.search(context) and not FUTURE_BUILT.search(context):
            return "achieved"
        if UNDER_WAY.search(context):
            return "committed"
        if TO_BE_BUILT.search(NOT_A_PLAN_OR_TOTAL.sub("", context)):
            return "planned"
    return None


def _next_full_sentence(text: str, at: int) -> str:
    """The sentence after the one holding `at`, sentences ending at a full stop only (a list's ； goes on)."""
    stop = text.find("。", at)
    if stop == -1:
        return ""
    following = text.find("。", stop + 1)
    return text[stop + 1:following + 1 if following != -1 else len(text)]


def _progress_after(next_sentence: str) -> str | None:
    """The project's progress reported right after its attributes (…总投资1800万元…。目前，教学楼主体已经封顶):
    built and in use is achieved, anything short of it committed; what it will do once built says neither."""
    next_sentence = ONCE_COMPLETED.sub("", next_sentence)
    if BUILT.search(next_sentence) and not FUTURE_BUILT.search(next_sentence):
        return "achieved"
    return "committed" if UNDER_WAY.search(next_sentence) else None


def _is_plan_heading(heading: str) -> bool:
    """2025年援疆计划, 项目规划; not a report on one (计划完成情况, 规划实施进展)."""
    return bool(heading) and bool(HEADING_PLAN.search(NOT_A_PLAN.sub("", heading))) and \
        not HEADING_REPORT.search(heading)


def _names_a_plan(after: str) -> bool:
    """The figure measures a plan itself (30万亩优质蔬菜种植计划)."""
    return bool(re.search(r"(?:计划|规划)$", after)) and not NOT_A_PLAN.search(after)


def _plan_measured_against(before: str, after: str) -> bool:
    """The plan's own amount that progress is measured against (已达到五年规划任务564.3亿元的101.6%,
    占全年计划援助资金110亿的41.6%)."""
    return after.startswith("的") and bool(PLAN_AMOUNT.search(before))


def _modal_before(lead: str) -> bool:
    return bool(PLANNED_MODAL.search(NOT_A_PLAN.sub("", lead)))


def _in_name(clause: str, verb: re.Match) -> bool:
    """A verb inside a name of the thing counted, not acting on it (投资计划, 总投资, 全额投资类项目); a verb
    before the plan's money acts on it (投入规划资金)."""
    following = clause[verb.end():verb.end() + 2]
    named = following in ("计划", "规划") and clause[verb.end() + 2:verb.end() + 3] not in ("外", "资")
    # 援建资金, 帮扶资金: the aid's money, a noun; 投入资金, 安排资金 are verbs acting on it.
    aid_money = verb.group() in AID_NOUN_VERBS and following in ("资金", "项目", "物资")
    return named or aid_money or clause[verb.start() - 1:verb.start()] == "总" or following[:1] == "类"


AID_NOUN_VERBS = ("援建", "帮扶", "援助", "资助", "建设")  # 建设项目, 建设资金: nouns


def _sentence_end(text: str, at: int) -> int:
    match = SENTENCE_END.search(text, at)
    return match.end() if match else len(text)


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(mark, 0, at) for mark in SENTENCE_MARKS) + 1
