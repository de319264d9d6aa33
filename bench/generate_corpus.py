"""Write N realistic article files for benchmarks, recombined from the seeds' paragraphs (deterministic from --seed).

Each article takes its paragraphs from the seeds' aid reports, with every donor and area name replaced by a
donor and the areas it is officially paired with (the gazetteer's pairings), figures redrawn at the same
order of magnitude, years shifted, page noise from the seeds added, one in five written in traditional
script (OpenCC s2t), a few in GB18030, and some near-copies of earlier articles (reprints, cut short).

    python bench/generate_corpus.py --count 10000 --seed 1 --output bench/out/corpus
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import opencc  # noqa: E402

from articles.text.decode import decode_bytes  # noqa: E402
from articles.text.gazetteer import Gazetteer  # noqa: E402
from articles.text.split import split_articles  # noqa: E402

SEEDS = ROOT / "seeds"
NEAR_COPY_SHARE = 0.05
TRADITIONAL_SHARE = 0.2
GB18030_SHARE = 0.05
NOT_AID_SHARE = 0.03

PUBLISHERS = [
    "新疆日报", "兵团日报", "天山网", "人民网", "新华网", "中新网", "石河子日报", "喀什日报", "和田日报", "伊犁日报",
]
HEADERS = [
    ["上一版/ 01 版:综合新闻 /下一版  查看本版大图", "本版导航 各版导航 视觉导航 标题导航 以往报纸"],
    ["人民网", "人民网>>新疆频道>>援疆要闻"],
    ["中新网", "分享到:"],
    ["小字号"],
]
FOOTERS = [
    ["(责编：{editor})"],
    ["责任编辑：{editor}"],
    ["分享到:", "扫一扫 手机看"],
    ["Copyright © 2024 {publisher} 版权所有"],
]
EDITORS = ["王欣", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "周婷"]
REPORTERS = ["李自良", "刘兵", "霍然", "魏路", "马晓", "古丽", "阿不都", "王鹏", "孙丽"]
TITLE_PATTERNS = [
    "{donor}援疆结出累累硕果——{area}受援工作综述",
    "{donor}对口支援{area}：奋力书写高质量援疆新篇章",
    "山海同心谱新篇——{donor}援疆{area}工作巡礼",
    "{area}：{donor}援疆项目全部开工 民生答卷亮眼",
    "{donor}第{batch}批援疆干部人才晒出成绩单",
    "产业援疆添动能 {donor}助力{area}高质量发展",
]
BATCHES = "八九十"
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?=年)")


@dataclass
class Pools:
    aid: list[str]  # paragraphs of aid reports that carry figures
    plain: list[str]  # paragraphs of aid reports without figures
    headings: list[str]
    not_aid: list[str]  # paragraphs of the seeds' other reports (red tourism)


def read_seed_pools() -> Pools:
    pools = Pools([], [], [], [])
    seen = set()
    for path in sorted(SEEDS.iterdir()):
        text = decode_bytes(path.read_bytes(), path.name).text
        for draft in split_articles(text):
            for paragraph in draft.paragraphs:
                body = paragraph.text.strip()
                if not body or body in seen:
                    continue
                seen.add(body)
                if not draft.is_aid:
                    pools.not_aid.append(body)
                elif paragraph.role == "heading":
                    pools.headings.append(body)
                elif paragraph.role == "body":
                    (pools.aid if _DIGITS.search(body) else pools.plain).append(body)
    return pools


class Generator:
    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.pools = read_seed_pools()
        self.gazetteer = Gazetteer.load()
        self.to_traditional = opencc.OpenCC("s2t")
        self.pairings = self._pairings()
        self.recent: list[tuple[str, list[str]]] = []  # (title, paragraphs) of earlier articles, for copies

    def _pairings(self) -> dict[str, list[str]]:
        """Top donor name → names of the areas it or its city teams are paired with."""
        data = self.gazetteer
        by_donor: dict[str, list[str]] = {}
        for pairing in data.pairings:
            top = data.top_province(pairing["donor"])
            by_donor.setdefault(data.provinces[top]["name_zh"], []).append(data.areas[pairing["area"]]["name_zh"])
        return by_donor

    def article(self, number: int) -> tuple[str, bool]:
        """The text of article `number` and whether it is written in traditional script."""
        rng = self.random
        if self.recent and rng.random() < NEAR_COPY_SHARE:
            title, paragraphs = rng.choice(self.recent)
            paragraphs = paragraphs[: max(3, len(paragraphs) - rng.randint(0, 2))]
        elif rng.random() < NOT_AID_SHARE:
            title = "红色热土 金色收成——革命老区展新颜"
            paragraphs = [self._redraw(p, rng.randint(2016, 2025)) for p in rng.sample(self.pools.not_aid, 6)]
        else:
            title, paragraphs = self._fresh()
            self.recent = (self.recent + [(title, paragraphs)])[-200:]
        text = self._page(title, paragraphs)
        traditional = rng.random() < TRADITIONAL_SHARE
        return (self.to_traditional.convert(text) if traditional else text), traditional

    def _fresh(self) -> tuple[str, list[str]]:
        rng = self.random
        donor = rng.choice(sorted(self.pairings))
        areas = self.pairings[donor]
        year = rng.randint(2016, 2025)
        chosen = rng.sample(self.pools.aid, rng.randint(7, 11)) + rng.sample(self.pools.plain, rng.randint(1, 3))
        rng.shuffle(chosen)
        headings = rng.sample(self.pools.headings, 2)
        chosen.insert(len(chosen) // 3, headings[0])
        chosen.insert(2 * len(chosen) // 3, headings[1])
        paragraphs = [self._redraw(self._rename(p, donor, areas), year) for p in chosen]
        title = rng.choice(TITLE_PATTERNS).format(donor=donor, area=rng.choice(areas), batch=rng.choice(BATCHES))
        return title, paragraphs

    def _rename(self, text: str, donor: str, areas: list[str]) -> str:
        """Every donor named becomes `donor`; every distinct area named becomes one of its paired areas."""
        mentions = [(m, donor) for m in self.gazetteer.donor_mentions(text)]
        mapping: dict[str, str] = {}
        for mention in self.gazetteer.area_mentions(text):
            if mention.slug == "xinjiang":
                continue
            mapping.setdefault(mention.slug, areas[len(mapping) % len(areas)])
            mentions.append((mention, mapping[mention.slug]))
        for mention, name in sorted(mentions, key=lambda item: item[0].start, reverse=True):
            text = text[: mention.start] + name + text[mention.end :]
        return text

    def _redraw(self, text: str, year: int) -> str:
        """Figures redrawn with the same number of digits; years moved to around `year`."""
        rng = self.random
        text = _YEAR.sub(lambda m: str(min(2025, max(2010, year - 2025 + int(m.group(1))))), text)

        def digits(match: re.Match) -> str:
            value = match.group()
            start = match.start()
            if len(value) == 4 and value.startswith("20") and text[match.end() : match.end() + 1] == "年":
                return value
            if text[match.end() : match.end() + 1] in "月日" or text[start - 1 : start] == ".":
                return value
            if text[match.end() : match.end() + 1] == "%":
                return str(rng.randint(1, 99))
            if len(value) == 1:
                return str(rng.randint(1, 9))
            return str(rng.randint(10 ** (len(value) - 1), 10 ** len(value) - 1))

        return _DIGITS.sub(digits, text)

    def _page(self, title: str, paragraphs: list[str]) -> str:
        rng = self.random
        publisher = rng.choice(PUBLISHERS)
        date = f"{rng.randint(2016, 2025)}年{rng.randint(1, 12):02d}月{rng.randint(1, 28):02d}日"
        lines = []
        if rng.random() < 0.6:
            lines += rng.choice(HEADERS) + [""]
        lines += [title, ""]
        if rng.random() < 0.5:
            lines += [f"{publisher} 新闻    时间:{date}    来源:{publisher}", ""]
        else:
            lines += [f"{date}08:{rng.randint(10, 59)} | 来源：{publisher}", ""]
        if rng.random() < 0.5:
            lines += [f"记者 {' '.join(rng.sample(REPORTERS, 2))}", ""]
        indent = "  " if rng.random() < 0.5 else ""
        for paragraph in paragraphs:
            lines += [indent + paragraph, ""]
        if rng.random() < 0.7:
            editor = rng.choice(EDITORS)
            lines += [line.format(editor=editor, publisher=publisher) for line in rng.choice(FOOTERS)]
        return "\n".join(lines) + "\n"


def write_corpus(count: int, seed: int, output: Path) -> tuple[int, int]:
    """Write `count` files into `output` (emptied first); returns (files, bytes)."""
    if output.exists():
        shutil.rmtree(output)
    generator = Generator(seed)
    total = 0
    for number in range(count):
        text, traditional = generator.article(number)
        encoding = "gb18030" if not traditional and generator.random.random() < GB18030_SHARE else "utf-8"
        data = text.encode(encoding)
        folder = output / f"{number // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha1(data).hexdigest()[:12]
        (folder / f"{number:05d}_{digest}.txt").write_bytes(data)
        total += len(data)
    return count, total


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000, help="Articles to write (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed writes the same files")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "out" / "corpus")
    options = parser.parse_args(argv)
    files, size = write_corpus(options.count, options.seed, options.output)
    print(f"Wrote {files} files, {size / 1048576:.1f} MB, into {options.output}")


if __name__ == "__main__":
    main()
