"""Rebuild the shipped link model from the labelled anchors, deterministically.

    python benchmarks/link_train.py [--corpus ../shared/corpus] [--write] [--compare-bands]

Reads ``links.tsv`` (one labelled row per project-link anchor), computes the evidence that
``contentkit.links`` computes for each anchor (the tagger's too, for every anchor), and fits
two L2-regularized logistic regressions, spurious vs legit: the fast stage (jieba and
context evidence) and the full stage (the same plus the tagger's). The spurious threshold is
chosen by grouped (per-post) cross-validation inside the training anchors, for a precision a
little above the target; links between ``uncertain`` and it are uncertain. The same TSVs give
the same bytes: the fit is Newton's method from zero, groups and folds are sorted, weights
rounded. Honest numbers (grouped CV, topic shift) are printed by ``link_quality.py``.

``--write`` stores the model in ``contentkit/data/link_model.json``. ``--compare-bands`` prints,
for bands the tagger could be asked in, the grouped-CV precision and recall and how many
anchors reach the tagger: the evidence behind ``link_data.BAND``.
Needs numpy (``pip install -e '.[bench]'``); contentkit itself does not.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import link_data as D

MODEL_PATH = D.ROOT / "contentkit" / "data" / "link_model.json"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--corpus", type=Path, default=D.default_corpus())
    ap.add_argument("--write", action="store_true", help="store the fitted model")
    ap.add_argument("--out", type=Path, help="write the model here instead")
    ap.add_argument("--compare-bands", action="store_true", help="grouped CV of tagger bands")
    args = ap.parse_args()
    anchors = D.load_anchors(args.corpus)
    groups = D.groups_of(args.corpus, sorted({a.file for a in anchors}))
    labelled = [a for a in anchors if a.label in ("legit", "spurious")]
    if args.compare_bands:
        held_out = D.held_out_probabilities(labelled, groups)
        bands = [(1.0, 0.0)] + [
            (lo / 100, hi / 100) for lo in range(15, 55, 5) for hi in range(70, 95, 5)
        ]
        print(f"grouped 10-fold CV, {len(held_out)} anchors, spurious at the target precision:")
        for lo, hi, precision, recall, asked in D.band_scores(held_out, bands):
            what = "never" if lo > hi else f"{lo:.2f}-{hi:.2f}"
            print(f"  tagger band {what:9}: P {precision:.3f} R {recall:.3f}, asked {asked}")
        return 0
    data = D.train_model(labelled, groups)
    text = D.dump(data)
    print(
        f"{len(labelled)} anchors ({sum(a.y for a in labelled)} spurious) from "
        f"{len({a.file for a in labelled})} posts; fast stage {len(data['fast']['weights'])} "
        f"weights, full stage {len(data['full']['weights'])}; tagger band {data['band']}, "
        f"spurious at p >= {data['spurious']}, uncertain at p >= {data['uncertain']}"
    )
    top = sorted(data["full"]["weights"].items(), key=lambda kv: -abs(kv[1]))[:16]
    print("full stage, largest weights:", ", ".join(f"{k}={v:+.2f}" for k, v in top))
    if args.write or args.out:
        path = args.out or MODEL_PATH
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
