"""Latency specs: the text forms, their errors, and the distributions they sample from."""

from __future__ import annotations

import random
import re
import statistics

import pytest

from mockopik.clock import Duration, parse_duration
from mockopik.faults.latency import Latency, parse_latency


@pytest.mark.parametrize(
    ("spec", "expected", "text"),
    [
        ("300", Latency.fixed(0.3), "300"),
        (300, Latency.fixed(0.3), "300"),
        (" 2s ", Latency.fixed(2.0), "2000"),
        ("250ms", Latency.fixed(0.25), "250"),
        ("1.5s", Latency.fixed(1.5), "1500"),
        ("1m", Latency.fixed(60.0), "60000"),
        ("100-800", Latency.uniform(0.1, 0.8), "100-800"),
        ("100ms-2s", Latency.uniform(0.1, 2.0), "100-2000"),
        ("lognormal:200,p99=1500", Latency.lognormal(0.2, 1.5), "lognormal:200,p99=1500"),
        (
            "lognormal:median=200, p99=1.5s, max=3s",
            Latency.lognormal(0.2, 1.5, 3.0),
            "lognormal:200,p99=1500,max=3000",
        ),
    ],
)
def test_latency_specs_parse_and_print_in_milliseconds(spec: object, expected: Latency, text: str) -> None:
    parsed = parse_latency(spec)
    assert parsed == expected
    assert str(parsed) == text
    assert parse_latency(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "not a duration: ''"),
        ("soon", "not a duration: 'soon'"),
        ("-5", "not a duration: '-5'"),
        ("5y", "not a duration: '5y'"),
        ("800-100", "the range '800-100' ends before it starts"),
        ("lognormal:200", "lognormal needs a median and a p99, e.g. lognormal:200,p99=1500"),
        ("lognormal:200,p95=900", "lognormal takes median, p99 and max, got 'p95=900'"),
        ("lognormal:200,p99=900,p99=950", "lognormal takes median, p99 and max, got 'p99=950'"),
        ("lognormal:0,p99=900", "lognormal needs 0 < median <= p99"),
        ("lognormal:300,p99=200", "lognormal needs 0 < median <= p99"),
        (True, "True"),
        (-1, "-1"),
    ],
)
def test_bad_latency_specs_say_what_is_wrong(spec: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_latency(spec)


@pytest.mark.parametrize(
    ("duration", "text"), [(Duration(60.0), "60s"), (Duration(0.25), "250ms"), (Duration(1.5), "1500ms")]
)
def test_durations_print_in_the_unit_that_reads_best(duration: Duration, text: str) -> None:
    assert str(duration) == text
    assert parse_duration(text) == duration


def samples(latency: Latency, count: int = 20_000, ceiling: float = 60.0) -> list[float]:
    rng = random.Random(7)
    return [latency.sample(rng, ceiling) for _ in range(count)]


def test_lognormal_samples_have_the_median_and_p99_asked_for() -> None:
    values = samples(Latency.lognormal(0.2, 1.5))
    percentiles = statistics.quantiles(values, n=100)
    assert percentiles[49] == pytest.approx(0.2, rel=0.05)
    assert percentiles[98] == pytest.approx(1.5, rel=0.1)


def test_lognormal_samples_never_pass_their_cap_nor_the_ceiling() -> None:
    assert max(samples(Latency.lognormal(0.2, 1.5, cap=0.5))) == 0.5
    assert max(samples(Latency.lognormal(0.2, 1.5), ceiling=0.4)) == 0.4


def test_uniform_samples_spread_over_the_whole_range() -> None:
    values = samples(Latency.uniform(0.1, 0.8))
    assert 0.1 <= min(values) < 0.11
    assert 0.79 < max(values) <= 0.8
    assert statistics.mean(values) == pytest.approx(0.45, rel=0.02)


def test_fixed_latency_is_always_the_same_but_capped() -> None:
    assert set(samples(Latency.fixed(0.3), count=10)) == {0.3}
    assert set(samples(Latency.fixed(0.3), count=10, ceiling=0.1)) == {0.1}
