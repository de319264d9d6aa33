"""Who gave and where it went: donor and recipient area of a figure from its sentence outward."""

import re
from collections import Counter
from dataclasses import dataclass

from .gazetteer import PREFECTURE_LEVELS, Gazetteer, Mention
from .sentences import SENTENCE_END

# A donor name followed by one of these is acting as a donor ("山东援疆指挥部", "南通工作组").
ACTOR_AFTER = re.compile(
    r"^[省市]?(?:对口)?(?:援疆|援|支援|帮扶|前方指挥部|前指|指挥部|工作组|分指|第[一二三四五六七八九十]+批|干部|企业|投资)"
)
# "在上海对口支援的巴楚县": the donor named only to describe whose pairing an area is.
PAIRING_AFTER = re.compile(r"^[省市]?对口支援的")
# The figure belongs to all donors together (the 19 provinces' 80% rule).
NATIONAL = re.compile(r"(?:19|十九)个(?:援疆)?省市|各(?:对口)?援疆省市|各省市|全国(?!最|首|第一|唯一|前列)")
# '福建、山西两省计划实施…': donors named together and counted as one actor; their figures are no one donor's.
JOINT = re.compile(r"[两三四五六七八九十]个?省(?:市|区)?")
# All the donors as the subject ('19个援疆省市…资金到位X亿元'), as opposed to a passing '全国'.
ALL_DONORS = re.compile(r"(?:19|十九)个(?:对口)?(?:援疆)?省市|各(?:对口)?援疆省市")
# The corps as a whole ('兵团共实施…'): its figures have many donors and no division.
CORPS = "bingtuan"
SELF_REFERENCE = re.compile(r"我省|我市|本省|本市|全省|全市")
# A place that sets the scene of the sentences after it: '在策勒县，…', '阜康市博物馆内，…', or a sentence whose
# subject is the place ('伽师县的变化同样可观。'), after at most a short opening ('近年来，').
OPENING = r"^(?:[^，,。]{0,14}[，,])?"
FRAME = re.compile(OPENING + r"(?:在[^，,。；]{2,45}|[^，,。；在]{2,30}[里内])[，,]")
SUBJECT = re.compile(OPENING)
# '湖南还先后选派…': the donor itself as subject, doing more; the scene set before it no longer holds.
DONOR_AGAIN = re.compile(r"^[省市]?(?:还|也|另|同时)")
# '该项目总投资2.7亿元': the sentence is about what the one before it named.
ANAPHORA = re.compile(OPENING + r"(?:该|这个|这家|这所|此)(?:项目|企业|公司|基地|园区|工程|学校|医院)")
# A place named with its area ('在高昌区亚尔镇湘吐产业园'): later mentions of the place mean that area.
LANDMARK = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:产业园|工业园|园区|新城|基地|景区|开发区))")
# '帮助四县落地…', '拉动5个受援县（师市）…': the donor's recipient areas together, not the one the article is about.
RECIPIENTS_TOGETHER = re.compile(r"受援县|[两三四五六七八九十]县")
TOWNSHIP = re.compile(r"^[乡镇村]")          # 阿克喀什乡: a township whose name contains 喀什
# 本报喀什5月19日电, 浙江在线阿克苏7月4日讯: where the reporter was
DATELINE = re.compile(r"^(?:\d+月\d+日[电讯]|讯)")
# Where a meeting or ceremony took place ('活动在伊宁县家纺服装产业园举行') is not where the aid went.
VENUE = re.compile(r"^[^，,。；;]{0,16}(?:举行|召开|举办|开幕)")
LEAD_CHARS = 40  # shorter first lines are bylines, datelines and subtitles, not the lead
# A paragraph naming this many donors is about them together: none of them is its figures' donor.
DONOR_LIST = 3
CLAUSE_END = re.compile(r"[，,；;：:﹔]")


@dataclass(frozen=True)
class Attribution:
    province: str | None      # top-level donor slug
    donor_city: str | None    # city team slug, when one acts
    area: str | None
    donor_source: str         # sentence | paragraph | context | pairing | article | national | none
    area_source: str          # sentence | paragraph | donor | article | none


class Attributor:
    """Attribution for the figures of one article, carrying context from paragraph to paragraph.

    Area, most specific first: the figure's sentence; a place the sentence names that was introduced with its
    area; the scene set at the start of an earlier sentence of the paragraph ('在策勒县，…'); for a paragraph
    that names no donor and no area, the area of the paragraphs before it; the donor's area when its pairings
    lie in one unit; the area in the title. A sentence naming areas in different units ('阿克苏地区和兵团第一师')
    gives their common unit, or none.
    """

    def __init__(self, gazetteer: Gazetteer, title: str, paragraphs: list[str]):
        self.gazetteer = gazetteer
        self._units_of: dict[str, list[str]] = {}
        # 新疆 and 兵团 as a whole say nothing about where a figure went.
        self.broad_areas = {slug for slug, row in gazetteer.areas.items() if row["level"] in ("region", "corps")}
        self.paragraphs = paragraphs
        self._whole_article_area: str | None = ...  # computed when first asked for
        self.article_donor = self._article_donor(title, paragraphs)
        self.article_area = self._article_area(title, paragraphs)
        self.title_units = self._units(title)
        # A report on all donors together ('19个援疆省市…'): a figure naming no donor is theirs, not the last one named.
        self.national_article = self.article_donor is None and any(
            self._national_before_donor(text) for text in [title, *paragraphs[:1]])
        self.national_paragraph = False
        self.recipients_together = False  # the paragraph speaks of the donor's recipient areas together
        self.paragraph_units: list[str] = []
        self.recent_donor: str | None = None  # the donor of the last paragraph that named one
        self.scene: str | None = None         # the area of the paragraphs so far
        self.landmarks: dict[str, str] = {}
        self.frames: list[tuple[int, str | None]] = []      # (sentence start, place it sets or None)
        self.sentence_areas: list[tuple[int, str | None]] = []
        # (sentence start, area) of sentences naming a place in full ('策勒县'), not in a name ('疏勒万亩生产基地')
        self.places_in_full: list[tuple[int, str | None]] = []  # None: the donor acts again ('湖南还…')
        self.inherits = False

    def start_section(self) -> None:
        """A heading starts a new part of the story: the scene of the last part ends."""
        self.scene = None

    def start_paragraph(self, text: str) -> None:
        self.national_paragraph = self._national_before_donor(text) or self._lists_donors(text)
        donor = None if self.national_paragraph else self._best_donor(text, len(text))
        if donor:
            self.recent_donor = donor
        units = self._units(text)
        self.inherits = donor is None and not units and not SELF_REFERENCE.search(text)
        self.recipients_together = bool(RECIPIENTS_TOGETHER.search(text))
        self.paragraph_units = units
        self.frames, self.sentence_areas, self.places_in_full, self.corps_sentences = [], [], [], []
        self.paragraph_text = text
        start = 0
        for end in [m.end() for m in SENTENCE_END.finditer(text)] + [len(text)]:
            self._read_sentence(text[start:end], start)
            start = end

    def _read_sentence(self, sentence: str, start: int) -> None:
        frame = self._frame(sentence)
        area = self._unit(frame)[0] if frame else None
        if area:
            self.frames.append((start, area))
            for name in LANDMARK.findall(frame):
                self.landmarks[self._landmark_name(name)] = area
        elif self._donor_again(sentence):
            self.frames.append((start, None))
            self.places_in_full.append((start, None))
        sentence_area = self._unit(sentence)[0]
        self.sentence_areas.append((start, sentence_area))
        if sentence_area is None and not self._units(sentence) and self._names_corps(sentence):
            self.corps_sentences.append(start)
        if sentence_area and any(m.text == self.gazetteer.areas[m.slug]["name_zh"] and m.slug == sentence_area
                                 for m in self.gazetteer.area_mentions(sentence)):
            self.places_in_full.append((start, sentence_area))
        if sentence_area and not self._is_ancestor(sentence_area, self.scene):
            self.scene = sentence_area

    def _frame(self, sentence: str) -> str:
        """The opening of a sentence that sets a place for what follows, or ''."""
        frame = FRAME.match(sentence)
        if frame:
            return frame[0]
        mentions = self.gazetteer.area_mentions(sentence)
        opening = SUBJECT.match(sentence).end()
        if mentions and mentions[0].start == opening:
            return sentence.split("，")[0] if opening == 0 else sentence[:opening + 12]
        return ""

    def _donor_again(self, sentence: str) -> bool:
        opening = SUBJECT.match(sentence).end()
        mentions = self.gazetteer.donor_mentions(sentence)
        return bool(mentions) and mentions[0].start == opening and bool(DONOR_AGAIN.match(sentence[mentions[0].end:]))

    def attribute(self, sentence: str, offset_in_sentence: int, paragraph: str, sentence_start: int = 0) -> Attribution:
        donor, donor_source = self._donor(sentence, offset_in_sentence, paragraph)
        if donor_source == "national":
            area, named = self._unit_at(sentence, offset_in_sentence)
            if not named and self._corps_earlier_in_sentence(sentence_start):
                return Attribution(None, None, CORPS, donor_source, "paragraph")
            return Attribution(None, None, area, donor_source, "sentence" if named else "none")
        if donor_source == "joint":
            # Donors counted together ('福建、山西两省…') are no one donor, but their aid went somewhere: the
            # area comes from the sentence outward, as for any figure (confidence reads them as national).
            area, area_source = self._area(sentence, sentence_start, None, offset_in_sentence)
            if area is None:
                area, area_source = self._area_of_whole_article(), "article"
            return Attribution(None, None, area, "national", area_source if area else "none")
        area, area_source = self._area(sentence, sentence_start, donor, offset_in_sentence)
        if area == CORPS and donor_source not in ("sentence", "paragraph"):
            donor, donor_source = None, "none"
        if donor is None and area and donor_source != "national":
            donor, donor_source = self._donor_from_pairing(area)
        if donor is None:
            return Attribution(None, None, area, donor_source, area_source)
        top = self.gazetteer.top_province(donor)
        city = donor if donor != top else None
        return Attribution(top, city, area, donor_source, area_source)

    # -- donors -------------------------------------------------------------------------------

    def _donor(self, sentence, offset, paragraph) -> tuple[str | None, str]:
        if self._national_before_donor(sentence[:offset + 1]):
            # '19个援疆省市…资金到位X亿元，其中：A省、B省超额完成': the donors named after are examples.
            return None, "national"
        if self._donors_together(sentence[:offset + 1]):
            return None, "joint"
        found = self._best_donor(sentence, offset)
        if found:
            return found, "sentence"
        if NATIONAL.search(sentence[:offset + 1]):
            return None, "national"
        if SELF_REFERENCE.search(sentence) and self.article_donor:
            return self.article_donor, "sentence"
        if self.national_paragraph or self._lists_donors(paragraph):
            return None, "national"
        found = self._best_donor(paragraph, len(paragraph))
        if found:
            return found, "paragraph"
        if self.national_article:
            return None, "national"
        if self.recent_donor:
            return self.recent_donor, "context"
        return None, "none"

    def _lists_donors(self, text: str) -> bool:
        """'分别为江苏省、湖北省、福建省…': a paragraph naming many donors speaks of them together, as examples."""
        return len({self.gazetteer.top_province(m.slug) for m in self.gazetteer.donor_mentions(text)}) >= DONOR_LIST

    def _donors_together(self, text: str) -> bool:
        """'明年福建、山西两省计划实施…': two donors or more, then counted together as the actor."""
        provinces: list[str] = []
        for mention in self.gazetteer.donor_mentions(text):
            top = self.gazetteer.top_province(mention.slug)
            if top not in provinces:
                provinces.append(top)
            if len(provinces) >= 2:
                return bool(JOINT.search(text, mention.end))
        return False

    def _national_before_donor(self, text: str) -> bool:
        """True when the text speaks of all donors together before it names any one of them."""
        national = ALL_DONORS.search(text)
        if not national:
            return False
        donors = self.gazetteer.donor_mentions(text)
        return not donors or donors[0].start >= national.start()

    def _best_donor(self, text: str, offset: int) -> str | None:
        """The acting donor: an actor mention before the figure, nearest first; else any mention."""
        mentions = [m for m in self.gazetteer.donor_mentions(text) if not PAIRING_AFTER.match(text[m.end:])]
        if not mentions:
            return None
        actors = [m for m in mentions if ACTOR_AFTER.match(text[m.end:])]
        before = [m for m in (actors or mentions) if m.start <= offset]
        chosen = before[-1] if before else (actors or mentions)[0]
        return self._prefer_city(chosen, mentions)

    def _prefer_city(self, chosen: Mention, mentions: list[Mention]) -> str:
        """'江苏援伊·南通工作组': the city team is the more specific donor."""
        for mention in mentions:
            if mention.slug != chosen.slug and self.gazetteer.top_province(mention.slug) == chosen.slug:
                return mention.slug
        return chosen.slug

    def _donor_from_pairing(self, area: str) -> tuple[str | None, str]:
        donors = self.gazetteer.donors_of_area(area)
        if self.article_donor and self.gazetteer.top_province(self.article_donor) in donors:
            return self.article_donor, "pairing"
        if len(donors) == 1:
            return donors[0], "pairing"
        return self.article_donor, "article" if self.article_donor else "none"

    def _article_donor(self, title: str, paragraphs: list[str]) -> str | None:
        counts = Counter()
        for mention in self.gazetteer.donor_mentions(title):
            counts[mention.slug] += 5
        for text in paragraphs:
            for mention in self.gazetteer.donor_mentions(text):
                if ACTOR_AFTER.match(text[mention.end:]):
                    counts[mention.slug] += 1
        if not counts:
            return None
        (best, best_count), *rest = counts.most_common(2) + [(None, 0)]
        # Only an article that is clearly about one donor gives its figures a default donor.
        return best if best_count >= 2 * rest[0][1] and best_count >= 2 else None

    # -- areas --------------------------------------------------------------------------------

    def _area(self, sentence, sentence_start, donor, offset=0) -> tuple[str | None, str]:
        area, named = self._unit_at(sentence, offset)
        if named:
            context = self._county_in_context(area, sentence, sentence_start)
            return (context, "paragraph") if context else (area, "sentence")
        for name, landmark_area in self.landmarks.items():
            if name in sentence:
                return landmark_area, "sentence"
        if ANAPHORA.match(sentence):
            earlier = [a for start, a in self.sentence_areas if start < sentence_start]
            if earlier and earlier[-1]:
                return earlier[-1], "paragraph"
        frames = [a for start, a in self.frames if start <= sentence_start]
        if frames and frames[-1]:
            return frames[-1], "paragraph"
        if self._corps_earlier_in_sentence(sentence_start):
            return CORPS, "paragraph"
        if self.inherits and self.scene:
            return self.scene, "paragraph"
        earlier = [a for start, a in self.places_in_full if start <= sentence_start]
        if earlier and earlier[-1] and self._is_ancestor(self.article_area, earlier[-1]):
            return earlier[-1], "paragraph"  # a county of the article's prefecture, named earlier in the paragraph
        if self.recipients_together:
            return self._recipients_area(donor), "paragraph"
        if self.article_area and self._fits_donor(self.article_area, donor):
            return self.article_area, "article"
        if donor:
            shared = self._common_area(self.gazetteer.areas_of_donor(donor))
            whole = self._area_of_whole_article()
            if shared and self._is_ancestor(shared, whole):
                # The donor's areas lie in 昌吉州 and the article names only 二十里店镇 (呼图壁县): the county.
                return whole, "article"
            if shared:
                return shared, "donor"
            # A donor paired across units, in an article that names only one of them (广东援疆驻兵团第三师工作队…
            # a later paragraph under a heading: 工作队安排援疆资金超17亿元): that one.
            if whole and whole not in self.broad_areas and self._fits_donor(whole, donor):
                return whole, "article"
        return None, "none"

    def _corps_earlier_in_sentence(self, sentence_start: int) -> bool:
        """'新疆兵团计划实施对口援疆项目300个…；累计完成投资10.39亿元': the corps, subject of the clauses before the
        semicolon, is the subject of those after it, up to the full stop, unless an area is named in between."""
        full_stop = self.paragraph_text.rfind("。", 0, sentence_start)
        corps = [start for start in self.corps_sentences if full_stop < start < sentence_start]
        if not corps:
            return False
        return not any(corps[-1] < start < sentence_start and area for start, area in self.sentence_areas)

    def _area_of_whole_article(self) -> str | None:
        """The one unit every area the article names lies in ('两省今年援疆资金…' in a report on 昌吉州)."""
        if self._whole_article_area is ...:
            named = {unit for text in self.paragraphs for unit in self._units(text)}
            # The most specific areas stand for their ancestors across the article as within a sentence.
            named = self._most_specific(list(named))
            self._whole_article_area = self._common_area(named) if named else None
        return self._whole_article_area

    def _recipients_area(self, donor: str | None) -> str | None:
        """The recipients a paragraph counts together are the areas named together in it ('疏勒、岳普湖、英吉沙、
        麦盖提四县' is 喀什地区) or in the title ('疏附伽师两县'), else the donor's pairings: their common unit, or
        none when they span several (广东: 喀什地区 and 第三师), however narrow the article's own area."""
        for units in (self.paragraph_units, self.title_units):
            if len(set(units)) >= 2:
                return self._common_area(units)
        return self._common_area(self.gazetteer.areas_of_donor(donor)) if donor else None

    def _county_in_context(self, area: str | None, sentence: str, sentence_start: int) -> str | None:
        """A prefecture named in passing ('围绕喀什地区“十大产业”', '考察喀什', '喀什盈德气体项目') is the setting
        of the county the paragraph or article is about, not another recipient: the county inside it stands.
        Named as the sentence's subject or scene ('喀什地区共实施…', '在喀什地区，…'), it is the unit itself."""
        if not area or self.gazetteer.areas[area]["level"] not in PREFECTURE_LEVELS or self._opens(sentence, area):
            return None
        if set(self._units(sentence)) != {area}:
            return None  # the common unit of several places named ('于田县、民丰县、策勒县'), not one named in passing
        frames = [a for start, a in self.frames if start < sentence_start]
        for context in (frames[-1] if frames else None, self.article_area):
            if self._is_ancestor(area, context):
                return context
        return None

    def _opens(self, sentence: str, area: str) -> bool:
        """Whether the sentence opens on the area, as its subject or scene."""
        frame = FRAME.match(sentence)
        if frame and area in self._units(frame[0]):
            return True
        opening = SUBJECT.match(sentence).end()
        # '广东在喀什地区新建…': a place after the locative 在 is the scene wherever the donor stands before it.
        return any((m.start in (0, opening) or sentence[m.start - 1:m.start] == "在")
                   and self._as_division(m.slug) == area
                   for m in self.gazetteer.area_mentions(sentence))

    def _article_area(self, title: str, paragraphs: list[str]) -> str | None:
        """The area an article is about: the one unit its title names, else its lead paragraph's; the corps
        when it alone is named."""
        lead = next((p for p in paragraphs if len(p) >= LEAD_CHARS), "")
        for text in (title, lead):
            area, named = self._unit(text)
            if named:
                return area
            if self._names_corps(text):
                return CORPS
        return None

    def _unit_at(self, sentence: str, offset: int) -> tuple[str | None, bool]:
        """The area of a figure at `offset` from its sentence: the one unit the sentence names; when it names
        several in different units ('地区安排…，第十四师安排…'), the one its own clause names; the corps as a
        whole when the sentence names no other area."""
        area, named = self._unit(sentence)
        if named and area is None:
            clause = self._clause_at(sentence, offset)
            clause_area, clause_named = self._unit(clause)
            if clause_named and clause_area:
                return clause_area, True
        if not named and self._names_corps(sentence):
            return CORPS, True
        return area, named

    @staticmethod
    def _clause_at(sentence: str, offset: int) -> str:
        left = max((m.end() for m in CLAUSE_END.finditer(sentence, 0, offset)), default=0)
        right = CLAUSE_END.search(sentence, offset)
        return sentence[left:right.start() if right else len(sentence)]

    def _names_corps(self, text: str) -> bool:
        return any(m.slug == CORPS for m in self.gazetteer.area_mentions(text))

    def _unit(self, text: str) -> tuple[str | None, bool]:
        """The one area unit a text names (None when it names areas in different units) and whether it names any."""
        units = self._units(text)
        if not units:
            return None, False
        if len(set(units)) == 1:
            return units[0], True
        return self._common_area(units), True

    def _units(self, text: str) -> list[str]:
        """Areas named, without those a more specific one lies in ('塔城地区沙湾市' is 沙湾市), 兵团 cities as
        divisions.

        Memoised for the article: each sentence is asked about once for itself and again for each of its figures."""
        units = self._units_of.get(text)
        if units is None:
            units = self._units_of[text] = self._read_units(text)
        return list(units)

    def _read_units(self, text: str) -> list[str]:
        named: list[tuple[Mention, str]] = []
        for mention in self.gazetteer.area_mentions(text):
            if mention.slug in self.broad_areas or TOWNSHIP.match(text[mention.end:]):
                continue
            if DATELINE.match(text[mention.end:]) or text[max(0, mention.start - 2):mention.start] == "本报":
                continue
            named.append((mention, self._as_division(mention.slug)))
        units = [unit for _, unit in named]
        # Where a meeting was held is no recipient when the text names another place the aid went to
        # ('活动在伊宁县…举行，…对口支援伊犁州'); a ceremony in the only place named ('喀什地区英吉沙县举行的开工
        # 仪式') is that place's.
        venue = self._venue_names(text, named)
        if venue and len(venue) < len(named):
            units = [unit for index, (_, unit) in enumerate(named) if index not in venue]
        # The most specific area named stands for its ancestors ('聚焦伊犁州…立足伊宁县' is 伊宁县).
        return self._most_specific(units)

    def _most_specific(self, units: list[str]) -> list[str]:
        return [u for u in units if not any(self._is_ancestor(u, other) for other in units)]

    @staticmethod
    def _venue_names(text: str, named: list) -> set[int]:
        """Indexes of the mentions that name a venue, with the names written just before them ('喀什地区英吉沙县')."""
        venue: set[int] = set()
        for index, (mention, _) in enumerate(named):
            if VENUE.match(text[mention.end:]):
                venue.add(index)
                chain = index
                while chain > 0 and named[chain - 1][0].end >= named[chain][0].start - 1:
                    chain -= 1
                    venue.add(chain)
        return venue

    def _as_division(self, slug: str) -> str:
        """师市合一: a 兵团 city (阿拉尔市) and its division (第一师) are one administration; the division stands."""
        row = self.gazetteer.areas[slug]
        parent = row["parent"]
        if row["level"] == "city" and parent and self.gazetteer.areas[parent]["level"] == "division":
            return parent
        return slug

    def _is_ancestor(self, candidate: str | None, slug: str | None) -> bool:
        return bool(candidate and slug) and candidate in self.gazetteer.area_ancestors(slug)

    @staticmethod
    def _landmark_name(text: str) -> str:
        """'亚尔镇湘吐产业园' -> '湘吐产业园': the name after the last township, article or particle."""
        return re.split(r"[乡镇村的]", text)[-1]

    def _fits_donor(self, area: str, donor: str | None) -> bool:
        if donor is None:
            return True
        paired = self.gazetteer.donors_of_area(area)
        return not paired or self.gazetteer.top_province(donor) in paired

    def _common_area(self, areas: list[str]) -> str | None:
        """The lowest area above all the given areas, if it is below the region level."""
        if not areas:
            return None
        chains = [[a, *self.gazetteer.area_ancestors(a)] for a in areas]
        common = [a for a in chains[0] if all(a in chain for chain in chains[1:])]
        if common and common[0] not in self.broad_areas:
            return common[0]
        return None
