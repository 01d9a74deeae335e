"""Latency specs (fixed, uniform range, lognormal by median and p99): parse and sample."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from statistics import NormalDist

from mockopik.clock import parse_duration

_Z99 = NormalDist().inv_cdf(0.99)

LATENCY_SYNTAX = "300, 100-800 or lognormal:200,p99=1500 (milliseconds, or with a unit: 2s, 250ms, 1m)"


@dataclass(frozen=True)
class Latency:
    """How long to delay a response: fixed, uniform between low and high, or lognormal."""

    kind: str
    low: float
    high: float
    cap: float | None = None

    @staticmethod
    def fixed(seconds: float) -> Latency:
        return Latency("fixed", seconds, seconds)

    @staticmethod
    def uniform(low: float, high: float) -> Latency:
        return Latency("uniform", low, high)

    @staticmethod
    def lognormal(median: float, p99: float, cap: float | None = None) -> Latency:
        """`low` is the median and `high` the 99th percentile."""
        return Latency("lognormal", median, p99, cap)

    def sample(self, rng: random.Random, ceiling: float) -> float:
        """One delay in seconds, never above `ceiling` (nor the spec's own cap)."""
        if self.kind == "fixed":
            value = self.low
        elif self.kind == "uniform":
            value = rng.uniform(self.low, self.high)
        else:
            sigma = (math.log(self.high) - math.log(self.low)) / _Z99
            value = rng.lognormvariate(math.log(self.low), sigma)
        return min(value, ceiling, self.cap if self.cap is not None else ceiling)

    def __str__(self) -> str:
        low, high = (f"{value * 1000:g}" for value in (self.low, self.high))
        if self.kind == "fixed":
            return low
        if self.kind == "uniform":
            return f"{low}-{high}"
        cap = "" if self.cap is None else f",max={self.cap * 1000:g}"
        return f"lognormal:{low},p99={high}{cap}"


def parse_latency(spec: object) -> Latency:
    """`300`, `2s`, `100-800`, `lognormal:200,p99=1500[,max=5000]`; numbers alone are milliseconds."""
    if not isinstance(spec, str):
        return Latency.fixed(parse_duration(spec).seconds)
    text = spec.strip()
    if text.lower().startswith("lognormal:"):
        return _parse_lognormal(text.split(":", 1)[1])
    if text.find("-") > 0:
        low, high = (parse_duration(part).seconds for part in text.split("-", 1))
        if low > high:
            raise ValueError(f"the range {text!r} ends before it starts")
        return Latency.uniform(low, high)
    return Latency.fixed(parse_duration(text).seconds)


def _parse_lognormal(arguments: str) -> Latency:
    values: dict[str, float] = {}
    for position, item in enumerate(arguments.split(",")):
        name, value = item.split("=", 1) if "=" in item else ("median" if position == 0 else item, item)
        name = name.strip().lower()
        if name not in {"median", "p99", "max"} or name in values:
            raise ValueError(f"lognormal takes median, p99 and max, got {item.strip()!r}")
        values[name] = parse_duration(value).seconds
    if "median" not in values or "p99" not in values:
        raise ValueError("lognormal needs a median and a p99, e.g. lognormal:200,p99=1500")
    if not 0 < values["median"] <= values["p99"]:
        raise ValueError("lognormal needs 0 < median <= p99")
    return Latency.lognormal(values["median"], values["p99"], values.get("max"))
