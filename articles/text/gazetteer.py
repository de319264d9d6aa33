"""Place names of the aid scheme: find donor and recipient-area mentions in text, and walk the pairing table.

Pure Python over articles/data/gazetteer.json (built by scripts/build_gazetteer.py); no Django.

Matching is lexical: every name and alias of a donor (province or city team) or area, plus a few strings that
contain a name without naming the place ('non_mentions', e.g. 天山东麓 is no 山东), go into one compiled regex.
The scan is leftmost-longest and non-overlapping, so a name never matches inside a longer name of either kind
(和田 inside 和田市 gives 和田市). Whether a mention is about aid is for the caller to judge.

Towns and regiments ('places') are names of the area they lie in or belong to: 北屯镇 is a mention of 阿勒泰市
(its text stays 北屯镇), 一二六团 one of 第七师; being longer, 北屯镇 wins over 北屯 (第十师).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "gazetteer.json"

DONOR = "donor"
AREA = "area"
NOT_A_NAME = "not-a-name"
PREFECTURE_LEVELS = ("prefecture", "division")


# Texts whose names are remembered; the memo is emptied when full, so memory stays bounded.
SCAN_CACHE_SIZE = 2048


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    slug: str
    text: str


class Gazetteer:
    """Donors, areas and pairings from gazetteer.json, with name matching."""

    def __init__(self, data: dict):
        self.sources: dict[str, dict] = {row["id"]: row for row in data["sources"]}
        self.provinces: dict[str, dict] = {row["slug"]: row for row in data["provinces"]}
        self.areas: dict[str, dict] = {row["slug"]: row for row in data["areas"]}
        self.pairings: list[dict] = data["pairings"]
        self._kind_by_name: dict[str, tuple[str, str | None]] = {}
        for kind, rows in ((DONOR, self.provinces), (AREA, self.areas)):
            for slug, row in rows.items():
                for name in (row["name_zh"], *row["aliases"]):
                    self._kind_by_name[name] = (kind, slug)
        self._place_names: set[str] = set()
        self._places_after_their_area: set[str] = set()  # names shared with a town elsewhere in China
        for place in data.get("places", []):
            for name in (place["name_zh"], *place["aliases"]):
                if name not in self._kind_by_name:
                    self._kind_by_name[name] = (AREA, place["area"])
                    self._place_names.add(name)
                    if place.get("after_its_area"):
                        self._places_after_their_area.add(name)
        # A donor's city, district or county (镇江市, 海淀区) names the donor where no other name stands; a city's
        # short form (镇江) only before a team's word, as two characters turn up inside other words. Two thousand
        # names in the main pattern would triple its cost, so they are looked up from their ends instead.
        self._donor_places: dict[str, str] = {}
        self._donor_short_forms: dict[str, str] = {}
        for place in data.get("donor_places", []):
            if place["name_zh"] not in self._kind_by_name:
                table = self._donor_short_forms if place.get("short_form") else self._donor_places
                table[place["name_zh"]] = place["donor"]
        # Per table: the lengths of its names, longest first, and their last two characters (a quick refusal).
        self._donor_name_shapes = {
            id(table): (sorted({len(name) for name in table}, reverse=True), {name[-2:] for name in table})
            for table in (self._donor_places, self._donor_short_forms)}
        for text in data.get("non_mentions", []):
            self._kind_by_name.setdefault(text, (NOT_A_NAME, None))
        self._pattern = _compile_names(self._kind_by_name)
        self._scanned: dict[str, tuple] = {}
        self._donors_by_area: dict[str, list[str]] = {}
        self._areas_by_donor: dict[str, list[str]] = {}
        for pairing in self.pairings:
            _append_once(self._donors_by_area.setdefault(pairing["area"], []), pairing["donor"])
            _append_once(self._areas_by_donor.setdefault(pairing["donor"], []), pairing["area"])

    @classmethod
    def load(cls, path: str | Path | None = None) -> Gazetteer:
        """The gazetteer in `path` (default: articles/data/gazetteer.json), read and compiled once per path."""
        return _load(str(Path(path or DEFAULT_PATH).resolve()))

    # --- mentions -------------------------------------------------------------------------------------------

    def donor_mentions(self, text: str) -> list[Mention]:
        """Names of donor provinces and city teams, left to right; slug is the province's or the team's."""
        return self._mentions(text, DONOR)

    def area_mentions(self, text: str) -> list[Mention]:
        """Names of recipient areas (region, prefectures, counties, 兵团 units), left to right."""
        return self._mentions(text, AREA)

    def _mentions(self, text: str, wanted: str) -> list[Mention]:
        return [mention for kind, mention in self._scan(text) if kind == wanted]

    def _scan(self, text: str) -> tuple[tuple[str, Mention], ...]:
        """Every name in `text` with its kind. Memoised: extraction asks about the same sentence for each figure."""
        found = self._scanned.get(text)
        if found is None:
            if len(self._scanned) >= SCAN_CACHE_SIZE:
                self._scanned.clear()
            found = self._scanned[text] = self._read_names(text)
        return found

    def _read_names(self, text: str) -> tuple[tuple[str, Mention], ...]:
        found: list[tuple[str, Mention]] = []
        for match in self._pattern.finditer(text):
            kind, slug = self._kind_by_name[match.group()]
            previous = found[-1][1] if found else None
            # '疏勒县塔孜洪乡' names 疏勒县 once: the town only says where in it.
            follows_its_area = previous and previous.end == match.start() and previous.slug == slug
            if follows_its_area and match.group() in self._place_names:
                continue
            if match.group() in self._places_after_their_area and not (
                    previous and previous.end == match.start() and previous.slug in self.area_ancestors(slug)):
                continue  # a name also given to towns outside Xinjiang, not written after its prefecture
            found.append((kind, Mention(match.start(), match.end(), slug, match.group())))
        places = self._donor_place_mentions(text, [mention for _, mention in found])
        if places:
            found = sorted(found + [(DONOR, mention) for mention in places], key=lambda item: item[1].start)
        return tuple(found)

    def _donor_place_mentions(self, text: str, taken: list[Mention]) -> list[Mention]:
        """Donor places, read back from where they end: a full name from its last character (市, 区, 县, 州, 盟), a
        short form from the team's word after it; the longest name first, none overlapping another name."""
        spans: dict[int, Mention] = {}
        for table, ends, after in ((self._donor_places, PLACE_END, False), (self._donor_short_forms, TEAM_WORD, True)):
            lengths, tails = self._donor_name_shapes[id(table)]
            for match in ends.finditer(text):
                end = match.start() if after else match.end()
                if text[end - 2:end] not in tails:
                    continue  # most 市 and 援 in a text end no donor's place (和田市, 山东援疆)
                for length in lengths:
                    slug = table.get(text[end - length:end]) if length <= end else None
                    if slug:
                        spans.setdefault(end - length, Mention(end - length, end, slug, text[end - length:end]))
                        break
        return [m for m in spans.values() if not any(t.start < m.end and m.start < t.end for t in taken)]

    def user_dictionary_words(self) -> list[str]:
        """Every donor and area name and alias, for jieba.add_word (so the segmenter keeps them whole)."""
        return sorted(name for name, (kind, _) in self._kind_by_name.items() if kind != NOT_A_NAME)

    # --- hierarchy and pairings -----------------------------------------------------------------------------

    def top_province(self, slug: str) -> str:
        """A city team's province; a province (or 深圳) itself."""
        return self._province(slug)["parent"] or slug

    def area_ancestors(self, slug: str) -> list[str]:
        """Parent chain of an area, nearest first (伊宁县 -> ['yili-zhou', 'xinjiang'])."""
        chain = []
        parent = self._area(slug)["parent"]
        while parent is not None:
            chain.append(parent)
            parent = self.areas[parent]["parent"]
        return chain

    def prefecture_of(self, slug: str) -> str | None:
        """The prefecture-level area or 兵团 division that is the area or contains it; None for region and corps."""
        for candidate in [slug, *self.area_ancestors(slug)]:
            if self.areas[candidate]["level"] in PREFECTURE_LEVELS:
                return candidate
        return None

    def donors_of_area(self, slug: str) -> list[str]:
        """Donor provinces paired with the area or, failing that, with its nearest paired ancestor."""
        for candidate in [slug, *self.area_ancestors(slug)]:
            donors = self._donors_by_area.get(candidate)
            if donors:
                provinces: list[str] = []
                for donor in donors:
                    _append_once(provinces, self.top_province(donor))
                return provinces
        return []

    def areas_of_donor(self, slug: str) -> list[str]:
        """Areas paired with a donor; for a city team without pairings of its own, its province's."""
        row = self._province(slug)
        own = self._areas_by_donor.get(slug, [])
        if not own and row["parent"] is not None:
            return self.areas_of_donor(row["parent"])
        return list(own)

    def _province(self, slug: str) -> dict:
        try:
            return self.provinces[slug]
        except KeyError:
            raise KeyError(f"{slug!r} is no donor slug in gazetteer.json "
                           f"(provinces: {sorted(self.provinces)})") from None

    def _area(self, slug: str) -> dict:
        try:
            return self.areas[slug]
        except KeyError:
            raise KeyError(f"{slug!r} is no area slug in gazetteer.json; rebuild with scripts/build_gazetteer.py "
                           "if the facts changed") from None


@cache
def _load(path: str) -> Gazetteer:
    with open(path, encoding="utf-8") as handle:
        return Gazetteer(json.load(handle))


def _append_once(items: list, item) -> None:
    if item not in items:
        items.append(item)


CHINESE_NUMERALS = "〇零一二三四五六七八九十百千两几数"
# What a name may not be followed by: 十团队 is a team, not 第一师十团; 乡村振兴 is no township named …乡.
# What must follow a donor city's short form for it to name the donor: its team or its aid (镇江援疆, 淮安工作组,
# 宁德对口支援; 无锡市 is a full name of its own). Full names of donor places end in one of PLACE_END.
TEAM_WORD = re.compile("援|对口|工作组|工作队|前方|前指|指挥部|分指|帮扶|支援|干部|医疗队|专家|企业|客商")
PLACE_END = re.compile("[市区县州盟旗]")
END_GUARDS = ((re.compile(rf"[0-9{CHINESE_NUMERALS}]团$"), "(?![队体结购伙])"), (re.compile("乡$"), "(?!村)"))


def _compile_names(names) -> re.Pattern:
    """One regex for all names, built as a trie so each position is tried once and the longest name wins.

    A name starting with a digit (222团) must not continue a number (1222团), nor one starting with a Chinese
    numeral (十团) a Chinese number (五十团); END_GUARDS say what may not follow a name.
    """
    trie: dict = {}
    for name in names:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = next((guard for pattern, guard in END_GUARDS if pattern.search(name)), "")

    def branch(node: dict) -> str:
        terminal = "" in node
        alternatives = [re.escape(ch) + branch(child) for ch, child in sorted(node.items()) if ch]
        if not alternatives:
            return node.get("", "")
        group = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
        if not terminal:
            return group
        return f"(?:{group}|{node['']})" if node[""] else f"(?:{group})?"

    top = []
    for ch, child in sorted(trie.items()):
        guard = (r"(?<![0-9０-９])" if ch.isdigit() else
                 f"(?<![{CHINESE_NUMERALS}])" if ch in CHINESE_NUMERALS else "")
        top.append(guard + re.escape(ch) + branch(child))
    # A leading class of the first characters lets the engine skip positions no name starts at in one step,
    # instead of trying every branch there: three times faster over typical text.
    first = "".join(re.escape(ch) for ch in sorted(trie))
    return re.compile(f"(?=[{first}])(?:{'|'.join(top)})")
