"""Weighing the evidence: the shipped logistic regression."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Model:
    weights: Mapping[str, float]
    bias: float
    threshold: float


@lru_cache(maxsize=1)
def load_model() -> Model:
    data = json.loads(
        resources.files("contentkit").joinpath("data/link_model.json").read_text("utf-8")
    )
    return Model(data["weights"], float(data["bias"]), float(data["threshold"]))


def spurious_probability(features: Mapping[str, float], model: Model | None = None) -> float:
    m = model or load_model()
    weights = m.weights
    get = weights.get
    # The same additions in the same order as sum() over the non-zero features.
    total = 0.0
    for k, v in features.items():
        if v:
            total += v * get(k, 0.0)
    z = m.bias + total
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
