"""Web pages for the collect tests: Chinese 援疆 news as news sites serve them (navigation, date line, footer)."""

PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}_南通新闻网</title>{meta}</head>
<body>
<header><nav><a href="/">首页</a> | <a href="/news/">时政</a> | <a href="/xj/">援疆</a></nav></header>
<main><article>
<h1>{title}</h1>
{dateline}
{paragraphs}
</article></main>
<aside><h3>相关新闻</h3><ul><li><a href="/news/9.html">我市召开援疆工作会议</a></li></ul></aside>
<footer>版权所有 南通新闻网 苏ICP备00000000号</footer>
</body></html>
"""


def page(title: str, paragraphs: list[str], dateline: str = "", meta: str = "") -> bytes:
    return PAGE.format(
        title=title, meta=meta, dateline=f'<div class="info">{dateline}</div>' if dateline else "",
        paragraphs="\n".join(f"<p>{text}</p>" for text in paragraphs),
    ).encode()


NANTONG = page(
    "15个援疆项目全部开工 南通援疆干部人才晒出首年成绩单",
    [
        "对口支援伊宁县是党中央和省委交给南通的光荣政治任务。自去年4月接过历史的接力棒，我市第十一批援疆干部人才"
        "以饱满昂扬之姿接棒跑出新气象，15个援疆项目实现100%开工。",
        "一年来，江苏援伊·南通工作组累计安排援疆资金2.3亿元，其中80%以上投向县及县以下基层和民生领域，"
        "新建改建伊宁县第三小学等学校4所。",
        "工作组还组织开展专业技术培训，共培训当地干部人才1200人次，帮助引进企业11家，带动就业800余人。",
    ],
    dateline="2024-06-21 09:12　来源：南通日报",
)

# No date in its text: the page's metadata gives it.
KASHGAR = page(
    "上海援疆前方指挥部推进喀什四县产业援疆",
    [
        "上海市对口支援新疆工作前方指挥部围绕巴楚、莎车、泽普、叶城四县，持续推进产业援疆和就业援疆。",
        "今年以来，上海安排援疆资金18.5亿元，实施援疆项目126个，重点支持喀什地区的产业园区建设和乡村振兴。",
        "指挥部还推动沪喀两地企业合作，新增就业岗位5000个，培训各类人才3000余人次。",
    ],
    meta='<meta property="article:published_time" content="2024-05-08T09:30:00+08:00">',
)

HOTAN = page(
    "北京援疆助力和田地区教育医疗事业发展",
    [
        "北京市援疆和田指挥部坚持把教育援疆、医疗援疆作为重点，今年安排援疆资金3.2亿元用于和田地区教育和医疗卫生事业。",
        "北京援建的和田地区人民医院新院区投入使用，新增床位600张，选派医疗人才85名开展“组团式”帮扶。",
    ],
    dateline="2024年3月15日　来源：北京日报",
)

# A page robots.txt disallows: it must never be requested.
PRIVATE = page("内部稿件", ["援疆资金1亿元。"], dateline="2024-01-01")

# An RSS feed of the site's aid news: two items on this site, one of them also imported by address.
RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>南通新闻网·援疆</title><link>{root}/xj/</link><description>援疆新闻</description>
<item><title>15个援疆项目全部开工</title><link>{root}/news/1.html</link>
<pubDate>Fri, 21 Jun 2024 01:12:00 GMT</pubDate></item>
<item><title>北京援疆助力和田地区教育医疗事业发展</title><link>{root}/news/3.html</link>
<pubDate>Fri, 15 Mar 2024 02:00:00 GMT</pubDate></item>
</channel></rss>
"""
