"""Which quantities found in a paragraph are not aid figures: scene, persons, the scheme's structure, area statistics.

numbers.py already skips dates, ordinals, ages and names with digits; what is left here needs the words around
a figure. Each table below is a family of phrasings from Chinese aid news, not a sentence of one article.
"""

import re

from .numbers import Quantity

# Families that are never aid figures on their own: distances set a scene, unless something was built.
SKIPPED_FAMILIES = ("length",)
BUILT = re.compile(r"修|建|铺|改造|硬化")
# A price asked or paid (销售价格大约在每公斤12元, 收购价): what goods fetch, not money put in.
PRICE = re.compile(r"价格|售价|单价|市场价|收购价|批发价|零售价")
# Personal details and scene-setting around a number (海拔3100米, 58岁, 零下30摄氏度).
SCENE = re.compile(r"距离|相距|海拔|出生|享年|年龄|岁|摄氏度|气温")
# The scheme's own structure, not what it did: 19个援疆省市, 各省市, 受援四县.
STRUCTURE_AFTER = re.compile(r"^个?(?:援疆|对口援疆|对口支援[^，,。、]{0,6}|对口)?"
                             r"(?:省市|省区市|省[（(][区、]*市[)）]|省份|(?:前方)?指挥部)")
# Counts of administrative units describe who is paired with whom ('浙江11个市与第一师', '第一师16个团场',
# '1市2县43个乡镇'), unless the sentence says the places are served ('惠及周边11个行政区'), a fact of aid.
UNITS_AFTER = re.compile(r"^个?(?:团场|乡镇|镇街|省辖市|设区市|地市|县市|市县|县区|县级市|地区|地州|师(?![生资范傅])"
                         r"|市(?![场民值])|县(?![城级域]))")
SERVED = re.compile(r"周边|辐射|惠及|覆盖|解决|受益|帮扶|结对")
# The parts of a plan or report ('6个方面', '共12类'): its outline, not its output.
OUTLINE_AFTER = re.compile(r"^个?(?:方面|领域|板块|类别)")
OUTLINE_UNITS = ("类",)
# Phased construction (分3期完成/建设) and frequency adverbs (先后两次选派87名): the other figure is the fact.
PHASES_AFTER = re.compile(r"^(?:完成|建设|实施|推进|建成|投资|开发)")
# A family's own numbers (两个孩子, 四五个人), not beneficiaries (1620名孩子): small counts only.
PERSONAL_AFTER = re.compile(r"^(?:孩子|儿子|女儿|儿女|老人|子女|家人|口人|兄弟|姐妹)")
FAMILY_SIZE = 10
# '两个' is a determiner far more often than a count (两个班级, 两个维护).
DETERMINERS = ("两个", "二个")
# Statistics of a whole place, not of aid: 统计局 data, 全市接待游客 ... with no word of aid in the sentence.
AREA_STATISTICS = re.compile(r"统计局|统计公报")
WHOLE_PLACE = re.compile(r"全市|全州|全县|全区|全地区|全疆|全师")
AID_WORD = re.compile(r"援|帮扶|支援|支持|引进|结对")
CLAUSE_BREAK = re.compile(r"[，,、：:；;。！？!?]")
# The recipient's own economy and census, even where the sentence credits the donors ('在对口省市的推动下，
# 某地实现地区生产总值X亿元'): aid did not pay these sums.
LOCAL_ECONOMY = re.compile(r"生产总值|GDP|财政收入|财政总收入|公共预算收入|社会消费品零售总额|进出口总额|外贸进出口"
                           r"|户籍人口|常住人口|总人口|人口总数|总面积|国土面积|辖区面积|城镇化率|少数民族(?:人口)?占"
                           r"|进出口"
                           r"|固定资产投资(?:同比|年均)?增长")
# Growth rates of a place's economy; a growth of aid itself ('援疆资金同比增长') is still a figure.
GROWTH = re.compile(r"年均增长|同比增长|(?:比|较)[^，,。；]{0,8}增长|增长率|增速|增幅")
# Time spent, not aid given: 1000多个日日夜夜, 十个年头, 三个春秋.
DURATION_AFTER = re.compile(r"^(?:日日夜夜|日夜|昼夜|年头|春秋|寒暑|钟头|小时)")
# Batches: the people or goods in them are the figure ('先后选派3批120名干部').
BATCH_UNITS = ("批", "批次")
# Numerals inside a slogan or the name of a policy: “五位一体”, “四个全覆盖”, 两个结合.
SLOGAN_AFTER = re.compile(r"^(?:一体|全覆盖|合一|并举|融合|统一|同步|协同|联动|优先|坚持|不)")
QUOTE_OPEN, QUOTE_CLOSE = "“「『\"", "”」』\""
SLOGAN_CHARS = 8


def is_aid_figure(quantity: Quantity, text: str, clause: str, sentence: str, others: list[Quantity]) -> bool:
    """False for a quantity that is scene, person, structure or general statistics rather than a fact of aid.

    `others` are the paragraph's other quantities (a frequency is dropped when its clause holds the real figure).
    """
    after = text[quantity.end:quantity.end + 12]
    if quantity.unit_family in SKIPPED_FAMILIES and not BUILT.search(clause):
        return False
    if SCENE.search(clause) or STRUCTURE_AFTER.match(after):
        return False
    if quantity.unit_family == "money" and PRICE.search(clause[:clause.find(quantity.text)]):
        return False
    places = quantity.unit == "个" and UNITS_AFTER.match(after) and not SERVED.search(sentence)
    if places or OUTLINE_AFTER.match(after):
        return False
    if quantity.unit in OUTLINE_UNITS:
        return False
    if quantity.value <= FAMILY_SIZE and PERSONAL_AFTER.match(after):
        return False
    if quantity.text in DETERMINERS:
        return False
    if text[quantity.start - 1:quantity.start] == "分" and quantity.unit == "期" and PHASES_AFTER.match(after):
        return False
    if quantity.unit == "次" and _another_figure_follows(quantity, text, others):
        return False
    if quantity.unit in BATCH_UNITS or DURATION_AFTER.match(after) or _in_slogan(quantity, text):
        return False
    if LOCAL_ECONOMY.search(clause) or (GROWTH.search(clause) and not AID_WORD.search(clause)):
        return False
    return not _area_statistics(sentence)


def _in_slogan(quantity: Quantity, text: str) -> bool:
    """A numeral inside a short quoted phrase, or written in words before a slogan's verb ('五位一体')."""
    if SLOGAN_AFTER.match(text[quantity.end:]) and not quantity.text[:1].isascii():
        return True
    opened = text.rfind(QUOTE_OPEN[0], max(0, quantity.start - SLOGAN_CHARS), quantity.start + 1)
    opened = max(opened, *(text.rfind(q, max(0, quantity.start - SLOGAN_CHARS), quantity.start + 1)
                           for q in QUOTE_OPEN[1:]))
    if opened == -1:
        return False
    closing = [text.find(q, quantity.end, quantity.end + SLOGAN_CHARS) for q in QUOTE_CLOSE]
    closed = [c for c in closing if c != -1]
    return bool(closed) and min(closed) - opened <= SLOGAN_CHARS + 2


def _another_figure_follows(quantity: Quantity, text: str, others: list[Quantity]) -> bool:
    """'先后两次选派87名干部': a count of times before a verb whose object is the real figure."""
    return any(quantity.end < other.start and not CLAUSE_BREAK.search(text, quantity.end, other.start)
               for other in others)


def _area_statistics(sentence: str) -> bool:
    if AREA_STATISTICS.search(sentence):
        return True
    return bool(WHOLE_PLACE.search(sentence)) and not AID_WORD.search(sentence)
