"""The fault injector: order of rules, probability with a seed, times / after / window, resets."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from mockopik.faults.injector import FaultInjector
from mockopik.faults.rules import SETTINGS, Request, RuleError, load_rules
from tests.timing import FakeTiming

FIND = Request("findOptimizations", "GET", "/v1/private/optimizations", "default")
CREATE = Request("createOptimization", "POST", "/v1/private/optimizations", "default")


def injector(*rules: dict[str, Any], seed: int = 0, timing: FakeTiming | None = None) -> FaultInjector:
    faults = FaultInjector([], seed, max_delay=60.0, timing=timing or FakeTiming())
    for rule in load_rules(list(rules)):
        faults.add(rule)
    return faults


def outcomes(faults: FaultInjector, count: int, request: Request = FIND) -> list[str]:
    """For each request: the answering rule's id, or '-' when the request passes."""
    decisions = [faults.decide(request) for _ in range(count)]
    return [decision.answer.id if decision.answer else "-" for decision in decisions]


def test_the_same_seed_gives_the_same_fault_sequence() -> None:
    rule = {"id": "flaky", "status": 503, "probability": 0.3}
    first = outcomes(injector(rule, seed=42), 200)
    assert first == outcomes(injector(rule, seed=42), 200)
    assert first != outcomes(injector(rule, seed=43), 200)
    assert first.count("flaky") == pytest.approx(60, abs=20)


def test_a_reset_replays_the_same_sequence() -> None:
    faults = injector({"id": "flaky", "status": 503, "probability": 0.5}, seed=3)
    faults.boot = [(rule.rule, SETTINGS) for rule in faults.states()]
    first = outcomes(faults, 50)
    faults.reset()
    assert outcomes(faults, 50) == first


def test_after_lets_the_first_matches_pass_and_times_stops_the_rule() -> None:
    faults = injector(
        {
            "id": "third-call",
            "match": {"operation": "findOptimizations"},
            "status": 500,
            "after": 2,
            "times": 1,
        }
    )
    assert outcomes(faults, 3, CREATE) == ["-", "-", "-"]
    assert outcomes(faults, 5) == ["-", "-", "third-call", "-", "-"]
    assert faults.listing()[0] | {"matched": 3, "fired": 1, "active": False} == faults.listing()[0]


@pytest.mark.parametrize(
    ("window", "ages", "expected"),
    [
        ({"end": 30}, [0, 29.9, 30, 100], ["down", "down", "-", "-"]),
        ({"start": 10, "end": 40}, [0, 9.9, 10, 39.9, 40], ["-", "-", "down", "down", "-"]),
        ({"start": 5}, [0, 5, 1000], ["-", "down", "down"]),
    ],
)
def test_a_window_is_counted_from_when_the_rule_was_added(
    window: dict[str, float], ages: list[float], expected: list[str]
) -> None:
    timing = FakeTiming()
    timing.advance(1000)
    faults = injector({"id": "down", "status": 503, "window": window}, timing=timing)
    seen = []
    for age in ages:
        timing.now = 1000 + age
        seen.extend(outcomes(faults, 1))
    assert seen == expected


def test_delays_add_up_and_the_first_answering_rule_ends_the_search() -> None:
    faults = injector(
        {"id": "slow", "latency": 300},
        {"id": "slower-finds", "match": {"operation": "find*"}, "latency": "1s"},
        {"id": "first", "match": {"operation": "find*"}, "status": 503, "latency": 50},
        {"id": "second", "status": 500},
        {"id": "after-answer", "latency": 10_000},
    )
    decision = faults.decide(FIND)
    assert decision.fired == ("slow", "slower-finds", "first", "after-answer")
    assert decision.delay == pytest.approx(11.35)
    assert decision.answer is not None
    assert decision.answer.id == "first"
    counts = {rule["id"]: rule["matched"] for rule in faults.listing()}
    assert counts == {"slow": 1, "slower-finds": 1, "first": 1, "second": 0, "after-answer": 1}
    assert faults.decide(CREATE).fired == ("slow", "second", "after-answer")


def test_every_delay_is_capped() -> None:
    faults = FaultInjector([], 0, max_delay=2.0, timing=FakeTiming())
    faults.add(load_rules({"latency": "1m"})[0])
    faults.add(load_rules({"latency": "1m"})[0])
    assert faults.decide(FIND).delay == 2.0


def test_injected_delays_follow_the_latency_distribution() -> None:
    faults = injector({"latency": "lognormal:200,p99=1500"}, seed=11)
    delays = [faults.decide(FIND).delay for _ in range(20_000)]
    percentiles = statistics.quantiles(delays, n=100)
    assert percentiles[49] == pytest.approx(0.2, rel=0.05)
    assert percentiles[98] == pytest.approx(1.5, rel=0.1)


def test_rules_without_an_id_get_one_and_an_id_given_again_replaces_the_rule() -> None:
    faults = injector({"status": 500}, {"id": "rule-2", "status": 501}, {"status": 502})
    assert [(rule["id"], rule["status"]) for rule in faults.listing()] == [
        ("rule-1", 500),
        ("rule-2", 501),
        ("rule-3", 502),
    ]
    faults.add(load_rules({"id": "rule-2", "status": 503})[0])
    assert [(rule["id"], rule["status"]) for rule in faults.listing()] == [
        ("rule-1", 500),
        ("rule-2", 503),
        ("rule-3", 502),
    ]


def test_rules_naming_no_known_operation_are_refused() -> None:
    faults = FaultInjector([], 0, 60.0, FakeTiming(), operations={"findOptimizations", "getOptimizationById"})
    with pytest.raises(RuleError) as raised:
        faults.add_all(
            load_rules(
                [{"status": 500}, {"match": {"operation": ["get*", "getOptimisation"]}, "status": 500}]
            )
        )
    assert raised.value.problems == [
        "match.operation: 'getOptimisation' matches no operation (findOptimizations, getOptimizationById)"
    ]
    assert faults.listing() == []


def test_the_header_forces_without_consulting_or_counting_rules() -> None:
    faults = injector({"id": "flaky", "status": 503, "probability": 0.5}, seed=5)
    expected = outcomes(injector({"id": "flaky", "status": 503, "probability": 0.5}, seed=5), 20)
    forced = faults.force(load_rules({"id": "header", "status": 500})[0])
    assert (forced.fired, forced.answer and forced.answer.status) == (("header",), 500)
    assert faults.listing()[0]["matched"] == 0
    assert outcomes(faults, 20) == expected
