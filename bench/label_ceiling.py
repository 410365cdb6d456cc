#!/usr/bin/env python3
"""bench/label_ceiling.py - how much of a labelled corpus's story split no
headline method can see.

    bench/label_ceiling.py [CORPUS] [--min-size 5] [--ratios 1.0,0.9,0.8] [--show 8]

For each UTC day (by `published`) of CORPUS (labelled JSON Lines, gzip or
plain; default ../shared/data/uci-news-dev.jsonl.gz), every headline becomes
an IDF-weighted unit vector of its lower-cased, stop-word-free words (a crude
suffix strip stands in for stemming; the IDF is the day's own).  For each
label (story) A of at least --min-size headlines it takes the average cosine
inside A, and for each pair of such labels A, B of one day the average cosine
across them.  A pair whose cross average is at least RATIO times the
geometric mean of their inside averages is a split that the headlines do not
show: a headline is about as like the other story as its own.

It prints, per RATIO, the number of such pairs and their pair mass
X = sum |A| |B|, against the T true pairs of the corpus: a clustering that
puts those labels together has pair precision at most T / (T + X) even at
recall 1.  Then the heaviest such pairs with a few headlines of each.
Standard library only; a measurement, not a test.
"""
import argparse
import collections
import gzip
import json
import math
import os
import re
import sys

STOP = set("""a an the of to in on for and or but is are was were be been by with at
from as that this it its into after over about up out new says say said will can has
have had not no than more how why what who when where which you your we our they
their he she his her i s t vs""".split())


def stem(w):
    for suf in ("ing", "ed", "es", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf):
            return w[: -len(suf)]
    return w


def words(title):
    return {stem(w) for w in re.findall(r"[a-z0-9]+", title.lower()) if w not in STOP}


def dot(x, y):
    if len(x) > len(y):
        x, y = y, x
    return sum(v * y.get(w, 0.0) for w, v in x.items())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?",
                    default=os.path.normpath(os.path.join(here, "..", "..", "shared", "data",
                                                          "uci-news-dev.jsonl.gz")))
    ap.add_argument("--min-size", type=int, default=5)
    ap.add_argument("--ratios", default="1.0,0.9,0.8")
    ap.add_argument("--show", type=int, default=8)
    ap.add_argument("--label-field", default="story")
    a = ap.parse_args()
    ratios = [float(r) for r in a.ratios.split(",")]
    opener = gzip.open if a.corpus.endswith(".gz") else open
    days = collections.defaultdict(list)
    with opener(a.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            if a.label_field in d and d.get("published"):
                days[str(d["published"])[:10]].append(d)
    true_pairs = 0
    mass = {r: 0 for r in ratios}
    count = {r: 0 for r in ratios}
    found = []  # (mass, day, ratio of cross to inside, label a, label b)
    for day, docs in sorted(days.items()):
        toks = [words(d.get("title") or "") for d in docs]
        df = collections.Counter()
        for t in toks:
            df.update(t)
        n = len(docs)
        by_label = collections.defaultdict(list)
        for i, d in enumerate(docs):
            by_label[str(d[a.label_field])].append(i)
        for members in by_label.values():
            true_pairs += len(members) * (len(members) - 1) // 2
        sums, inside = {}, {}
        for lab, members in by_label.items():
            if len(members) < a.min_size:
                continue
            s = collections.Counter()
            for i in members:
                v = {w: math.log((n + 1) / (df[w] + 1)) + 1 for w in toks[i]}
                nrm = math.sqrt(sum(x * x for x in v.values()))
                for w, x in v.items():
                    s[w] += x / nrm
            m = len(members)
            sums[lab] = s
            inside[lab] = max(0.0, (dot(s, s) - m) / (m * (m - 1)))
        labs = sorted(sums)
        for i, la in enumerate(labs):
            for lb in labs[i + 1:]:
                na, nb = len(by_label[la]), len(by_label[lb])
                cross = dot(sums[la], sums[lb]) / (na * nb)
                g = math.sqrt(inside[la] * inside[lb])
                if cross <= 0.0 or g <= 0.0:
                    continue
                rel = cross / g
                for r in ratios:
                    if rel >= r:
                        mass[r] += na * nb
                        count[r] += 1
                if rel >= min(ratios):
                    found.append((na * nb, day, rel, la, lb))
    print("labelled corpus   %s" % a.corpus)
    print("days %d, true pairs T = %d, labels of at least %d headlines compared" %
          (len(days), true_pairs, a.min_size))
    print("ratio  label pairs  pair mass X   precision ceiling T/(T+X)")
    for r in ratios:
        print("%5.2f  %11d  %11d   %.3f" % (r, count[r], mass[r], true_pairs / (true_pairs + mass[r])))
    found.sort(key=lambda x: (-x[0], x[1], x[3]))
    for m, day, rel, la, lb in found[: a.show]:
        print("\n%s: %d x %d headlines, cross/inside %.2f" % (day, len(days_members(days[day], la, a)),
                                                           len(days_members(days[day], lb, a)), rel))
        for lab in (la, lb):
            for t in days_members(days[day], lab, a)[:3]:
                print("   [%s] %s" % (lab[:6], t))
    return 0


def days_members(docs, lab, a):
    return [d.get("title") or "" for d in docs if str(d[a.label_field]) == lab]


if __name__ == "__main__":
    sys.exit(main())
