"""Weighing the evidence: the shipped two-stage logistic regression and its thresholds.

The fast stage weighs the jieba and context evidence of every anchor. Where its probability
falls inside ``band`` (the anchors it is unsure of), the tagger is asked too and the full stage
(the same evidence plus the tagger's) decides. Two thresholds split the final probability into
three outcomes: ``spurious`` at or above ``spurious``, ``uncertain`` at or above ``uncertain``,
else ``legit``. ``CONTENTKIT_LINK_MODEL`` names another model file (the evaluation uses it to
judge held-out posts with a model that never saw them).
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

MODEL_ENV = "CONTENTKIT_LINK_MODEL"


@dataclass(frozen=True)
class Stage:
    weights: Mapping[str, float]
    bias: float


@dataclass(frozen=True)
class Model:
    fast: Stage
    full: Stage | None  # None: no tagger stage, the fast stage decides alone
    band: tuple[float, float]  # fast probabilities for which the tagger is asked
    spurious: float  # the final probability at and above which a link is spurious
    uncertain: float  # ... uncertain (below: legit)

    @property
    def threshold(self) -> float:
        return self.spurious


def model_from_json(data: Mapping[str, Any]) -> Model:
    if "fast" not in data:
        # The previous format (one logistic regression, one threshold, no tagger stage):
        # still readable, so that the benchmarks can measure it beside the shipped model.
        stage = Stage(data["weights"], float(data["bias"]))
        threshold = float(data["threshold"])
        return Model(stage, None, (1.0, 0.0), threshold, threshold)
    fast = Stage(data["fast"]["weights"], float(data["fast"]["bias"]))
    full = data.get("full")
    band = data.get("band", [1.0, 0.0])
    return Model(
        fast,
        Stage(full["weights"], float(full["bias"])) if full else None,
        (float(band[0]), float(band[1])),
        float(data["spurious"]),
        float(data["uncertain"]),
    )


@lru_cache(maxsize=1)
def load_model() -> Model:
    other = os.environ.get(MODEL_ENV)
    if other:
        text = Path(other).read_text("utf-8")
    else:
        text = resources.files("contentkit").joinpath("data/link_model.json").read_text("utf-8")
    return model_from_json(json.loads(text))


def probability(features: Mapping[str, float], stage: Stage) -> float:
    get = stage.weights.get
    # The same additions in the same order as sum() over the non-zero features.
    total = 0.0
    for k, v in features.items():
        if v:
            total += v * get(k, 0.0)
    z = stage.bias + total
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def spurious_probability(features: Mapping[str, float], model: Model | None = None) -> float:
    """The fast stage's probability that an anchor with these features is spurious."""
    return probability(features, (model or load_model()).fast)
