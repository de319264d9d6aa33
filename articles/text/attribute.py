"""Who gave and where it went: donor and recipient area of a figure from its sentence outward."""

import re
from collections import Counter
from dataclasses import dataclass

from .gazetteer import Gazetteer, Mention

# A donor name followed by one of these is acting as a donor ("山东援疆指挥部", "南通工作组").
ACTOR_AFTER = re.compile(r"^[省市]?(?:对口)?(?:援疆|援|支援|帮扶|前方指挥部|前指|指挥部|工作组|分指|第[一二三四五六七八九十]+批|干部|企业|投资)")
# "在上海对口支援的巴楚县": the donor named only to describe whose pairing an area is.
PAIRING_AFTER = re.compile(r"^[省市]?对口支援的")
# The figure belongs to all donors together (the 19 provinces' 80% rule).
NATIONAL = re.compile(r"(?:19|十九)个(?:援疆)?省市|各(?:对口)?援疆省市|各省市|全国")
SELF_REFERENCE = re.compile(r"我省|我市|本省|本市|全省|全市")


@dataclass(frozen=True)
class Attribution:
    province: str | None      # top-level donor slug
    donor_city: str | None    # city team slug, when one acts
    area: str | None
    donor_source: str         # sentence | paragraph | context | pairing | article | national | none
    area_source: str          # sentence | paragraph | donor | article | none


class Attributor:
    """Attribution for the figures of one article, carrying context from paragraph to paragraph."""

    def __init__(self, gazetteer: Gazetteer, title: str, paragraphs: list[str]):
        self.gazetteer = gazetteer
        # 新疆 and 兵团 as a whole say nothing about where a figure went.
        self.broad_areas = {slug for slug, row in gazetteer.areas.items() if row["level"] in ("region", "corps")}
        self.article_donor = self._article_donor(title, paragraphs)
        self.article_area = self._article_area(title)
        self.recent_donor: str | None = None  # the donor of the last paragraph that named one

    def start_paragraph(self, text: str) -> None:
        donor = self._best_donor(text, len(text))
        if donor:
            self.recent_donor = donor

    def attribute(self, sentence: str, offset_in_sentence: int, paragraph: str) -> Attribution:
        donor, donor_source = self._donor(sentence, offset_in_sentence, paragraph)
        area, area_source = self._area(sentence, offset_in_sentence, paragraph, donor)
        if donor is None and area and donor_source != "national":
            donor, donor_source = self._donor_from_pairing(area)
        if donor is None:
            return Attribution(None, None, area, donor_source, area_source)
        top = self.gazetteer.top_province(donor)
        city = donor if donor != top else None
        return Attribution(top, city, area, donor_source, area_source)

    # -- donors -------------------------------------------------------------------------------

    def _donor(self, sentence, offset, paragraph) -> tuple[str | None, str]:
        found = self._best_donor(sentence, offset)
        if found:
            return found, "sentence"
        if NATIONAL.search(sentence[:offset + 1]):
            return None, "national"
        if SELF_REFERENCE.search(sentence) and self.article_donor:
            return self.article_donor, "sentence"
        found = self._best_donor(paragraph, len(paragraph))
        if found:
            return found, "paragraph"
        if self.recent_donor:
            return self.recent_donor, "context"
        return None, "none"

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

    def _area(self, sentence, offset, paragraph, donor) -> tuple[str | None, str]:
        found = self._best_area(sentence, offset)
        if found:
            return found, "sentence"
        found = self._best_area(paragraph, len(paragraph))
        if found and self._fits_donor(found, donor):
            return found, "paragraph"
        if donor:
            shared = self._common_area(self.gazetteer.areas_of_donor(donor))
            if shared:
                return shared, "donor"
        if self.article_area and self._fits_donor(self.article_area, donor):
            return self.article_area, "article"
        return None, "none"

    def _best_area(self, text: str, offset: int) -> str | None:
        mentions = [m for m in self.gazetteer.area_mentions(text) if m.slug not in self.broad_areas]
        if not mentions:
            return None
        # The most specific area named; among equals, the one nearest before the figure.
        depth = {m.slug: len(self.gazetteer.area_ancestors(m.slug)) for m in mentions}
        deepest = max(depth.values())
        candidates = [m for m in mentions if depth[m.slug] == deepest]
        before = [m for m in candidates if m.start <= offset]
        return (before[-1] if before else candidates[0]).slug

    def _fits_donor(self, area: str, donor: str | None) -> bool:
        if donor is None:
            return True
        paired = self.gazetteer.donors_of_area(area)
        return not paired or self.gazetteer.top_province(donor) in paired

    def _common_area(self, areas: list[str]) -> str | None:
        """The lowest area above all of a donor's pairings, if it is below the region level."""
        if not areas:
            return None
        chains = [[a, *self.gazetteer.area_ancestors(a)] for a in areas]
        common = [a for a in chains[0] if all(a in chain for chain in chains[1:])]
        if common and common[0] not in self.broad_areas:
            return common[0]
        return None

    def _article_area(self, title: str) -> str | None:
        found = self._best_area(title, len(title))
        return found
