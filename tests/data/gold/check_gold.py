"""Validate the gold set: JSON parses, fields and enums, every context occurs exactly once in its
file after normalisation (OpenCC t2s, pinyin annotations like (wù) removed, full-width digits to ASCII,
spaces between a number and 万/亿/元/% and after 突破 removed) and contains number_text.
Usage: python check_gold.py            (checks every set: seeds, extra, real, real2, real_holdout, real3, real4, real5)
       python check_gold.py X.jsonl DIR
Needs the opencc package."""
import collections
import json
import re
import sys

import opencc

cc = opencc.OpenCC('t2s')
PINYIN = re.compile(r'\((?:[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+)\)')
def norm(s):
    s = cc.convert(s)
    s = PINYIN.sub('', s)
    s = s.translate({0xFF10+i: 0x30+i for i in range(10)})
    s = re.sub(r'(?<=[\d.])[ \u3000\u00a0]+(?=[万亿元%])', '', s)   # 10.1 亿元 -> 10.1亿元
    s = re.sub(r'(?<=突破)[ \u3000\u00a0]+(?=\d)', '', s)           # 突破 10.1 -> 突破10.1
    return s
KINDS={'funding','investment','output_value','income','projects','enterprises','jobs','trainees','cadres','beneficiaries','facilities','area','production','share','other'}
SECT={'industry','employment','education','health','livelihood','talent','culture','agriculture','exchange','trade','general'}
APPROX={'exact','more_than','about'}
FIELDS=['file','context','number_text','value','value_high','unit','approx','kind','sector','province','donor_city','area','period','core','note']
OPTIONAL_FIELDS=['stage']  # last, when present (the real-text set carries it)
STAGES={'planned','committed','achieved','unknown'}
NEGATIVE_FIELDS = {'file', 'context', 'number_text', 'negative', 'note'}
REPEAT_FIELDS = {'file', 'context', 'number_text', 'repeat', 'note'}
NUMBER = r'\d+(\.\d+)?'


def problems(r, text):
    """What is wrong with one annotation `r` of the normalised file `text`, in the order they are reported."""
    c = r['context']
    if r['number_text'] not in c:
        yield 'number_text not in context'
    n = text.count(c)
    if n != 1:
        yield f'context occurs {n} times'
    if r.get('negative'):
        if set(r) != NEGATIVE_FIELDS:
            yield 'neg fields'
        return
    if r.get('repeat'):  # a later mention of a fact annotated elsewhere in the same file
        if set(r) != REPEAT_FIELDS:
            yield 'repeat fields'
        return
    if list(r) not in (FIELDS, FIELDS + OPTIONAL_FIELDS):
        yield 'fields'
    if 'stage' in r and r['stage'] not in STAGES:
        yield 'stage'
    if r['kind'] not in KINDS:
        yield 'kind'
    if r['sector'] not in SECT:
        yield 'sector'
    if r['approx'] not in APPROX:
        yield 'approx'
    if not re.fullmatch(NUMBER, r['value']):
        yield 'value'
    if r['value_high'] is not None and not re.fullmatch(NUMBER, r['value_high']):
        yield 'value_high'
    if not isinstance(r['core'], bool):
        yield 'core'


def check(jsonl, base):
    texts = {}
    errs = 0
    stats = collections.defaultdict(lambda: [0, 0, 0])
    with open(jsonl) as lines:
        for i, line in enumerate(lines, 1):
            r = json.loads(line)
            f = r['file']
            if f not in texts:
                with open(base + '/' + f) as handle:
                    texts[f] = norm(handle.read())
            for m in problems(r, texts[f]):
                errs += 1
                print(f'{jsonl}:{i}: {m}: {r}')
            if r.get('negative'):
                stats[f][2] += 1
            elif not r.get('repeat'):
                stats[f][0] += 1
                stats[f][1] += r['core']
    # duplicate (file, context, number_text)
    seen = collections.Counter()
    with open(jsonl) as lines:
        for line in lines:
            r = json.loads(line)
            seen[(r['file'], r['context'], r['number_text'])] += 1
    for k, v in seen.items():
        if v > 1:
            errs += 1
            print('dup', k)
    tot = [0, 0, 0]
    for f in sorted(stats):
        p, c, n = stats[f]
        tot = [tot[0] + p, tot[1] + c, tot[2] + n]
        print(f'{f}\tpositives {p}\tcore {c}\tnegatives {n}')
    print('TOTAL', tot, 'errors', errs)


if __name__ == "__main__":
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    if len(sys.argv) == 3:
        check(sys.argv[1], sys.argv[2])
    else:
        check(os.path.join(here, "seeds.jsonl"), os.path.join(here, "..", "..", "..", "seeds"))
        check(os.path.join(here, "extra.jsonl"), os.path.join(here, "extra"))
        check(os.path.join(here, "real.jsonl"), os.path.join(here, "real"))
        check(os.path.join(here, "real2.jsonl"), os.path.join(here, "real2"))
        check(os.path.join(here, "real_holdout.jsonl"), os.path.join(here, "real_holdout"))
        check(os.path.join(here, "real3.jsonl"), os.path.join(here, "real3"))
        check(os.path.join(here, "real4.jsonl"), os.path.join(here, "real4"))
        check(os.path.join(here, "real5.jsonl"), os.path.join(here, "real5"))
