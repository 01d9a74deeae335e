"""A dataset's items and the experiment items of its trials, made on demand from the records they belong
to: the same dataset always has the same items, and a trial's traces average to the trial's scores.

Nothing here is stored: item `i` of a dataset comes from a generator seeded with the dataset's id and
`i`; a trial's traces come from generators seeded with its id (a full trial evaluates the same
sample of items as the other full trials of its run, a mini-batch its own small sample).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from mockopik.data.item_themes import theme_of
from mockopik.data.trials import BINARY_METRICS
from mockopik.domain.catalog import Evaluation, Evaluations
from mockopik.domain.ids import id_at
from mockopik.domain.models import ComparedItem, Dataset, DatasetItem, ExperimentItem, TrialType

COST_UNIT = 10**9  # Opik's costs are decimals with 9 fraction digits
PARALLEL = 8  # traces an optimizer evaluates at once


def dataset_items(dataset: Dataset, count: int) -> list[DatasetItem]:
    """The first `count` items of a dataset, in the order they were added."""
    theme = theme_of(dataset.name)
    items = []
    for index in range(count):
        rng = random.Random(f"{dataset.id}:{index}")
        moment = dataset.created_at + timedelta(milliseconds=index)
        items.append(DatasetItem(id_at(moment, rng), theme.build(rng), moment))
    return items


def compared(evaluations: Evaluations) -> list[ComparedItem]:
    """The dataset's items that the trials evaluated, each with the trials' experiment items."""
    if evaluations.dataset is None:
        return []
    items = dataset_items(evaluations.dataset, evaluations.item_count)
    traces: dict[UUID, list[ExperimentItem]] = {}
    for evaluation in evaluations.runs:
        for trace in experiment_items(evaluation, evaluations.dataset, items):
            traces.setdefault(trace.dataset_item_id, []).append(trace)
    return [ComparedItem(item, tuple(traces[item.id])) for item in items if item.id in traces]


def experiment_items(
    evaluation: Evaluation, dataset: Dataset, items: Sequence[DatasetItem]
) -> list[ExperimentItem]:
    """A trial's traces: one per evaluated item, with scores whose means are the trial's feedback scores,
    a median duration of the trial's, and costs adding up to its cost."""
    trial = evaluation.trial
    count = min(trial.trace_count, len(items))
    sampler = random.Random(
        f"{evaluation.optimization_id}:samples" if trial.type is TrialType.TRIAL else f"{trial.id}:batch"
    )
    chosen = sorted(sampler.sample(range(len(items)), count))
    rng = random.Random(f"{trial.id}:traces")
    scores = {
        name: spread(mean, count, name in BINARY_METRICS, rng)
        for name, mean in sorted(trial.feedback_scores.items())
    }
    durations = _durations(trial.duration, count, rng)
    costs = _costs(trial.cost, durations or [1.0] * count)
    theme = theme_of(dataset.name)
    objective = scores.get(evaluation.objective_name) or next(iter(scores.values()), [1.0] * count)
    traces = []
    started = trial.created_at
    for position, index in enumerate(chosen):
        item = items[index]
        moment = started + timedelta(
            milliseconds=(position // PARALLEL) * (durations[position] if durations else 800)
        )
        answer = theme.answer(random.Random(f"{trial.id}:{index}"), item.data, objective[position])
        traces.append(
            ExperimentItem(
                id=id_at(moment, rng),
                experiment_id=trial.id,
                dataset_item_id=item.id,
                trace_id=id_at(moment, rng),
                input=dict(item.data),
                output={"llm_output": answer},
                feedback_scores={name: values[position] for name, values in scores.items()},
                duration=durations[position] if durations else None,
                total_estimated_cost=costs[position] if costs else None,
                created_at=moment,
            )
        )
    return traces


def spread(mean: float, count: int, binary: bool, rng: random.Random) -> list[float]:
    """`count` trace scores whose mean is `mean` (to its own precision): 0s and 1s for a pass/fail
    metric when `mean` is a share of `count`, else values around it, as fine as its decimals."""
    if count == 0:
        return []
    if binary and 0 <= mean <= 1 and abs(mean * count - round(mean * count)) < 1e-6:
        passed = set(rng.sample(range(count), round(mean * count)))
        return [1.0 if index in passed else 0.0 for index in range(count)]
    digits = next((d for d in (4, 6) if abs(mean * count * 10**d - round(mean * count * 10**d)) < 1e-3), 9)
    unit = 10**digits
    low, high = min(0, round(mean * unit)), max(unit, round(mean * unit))
    values = [min(high, max(low, round(rng.gauss(mean, 0.15) * unit))) for _ in range(count)]
    _settle(values, round(mean * count * unit), low, high)
    return [value / unit for value in values]


def _settle(values: list[int], total: int, low: int, high: int) -> None:
    """Move `values` (each kept within low..high) until they add up to `total`."""
    missing = total - sum(values)
    while missing:
        up = missing > 0
        movable = [index for index, value in enumerate(values) if (value < high if up else value > low)]
        share = max(1, abs(missing) // len(movable))
        for index in movable:
            room = high - values[index] if up else values[index] - low
            step = min(share, room, abs(missing))
            values[index] += step if up else -step
            missing -= step if up else -step
            if not missing:
                break


def _durations(median_seconds: float | None, count: int, rng: random.Random) -> list[float]:
    """Trace durations in milliseconds around the trial's median (exactly its median for an odd count)."""
    if median_seconds is None or count == 0:
        return []
    samples = [rng.lognormvariate(0.0, 0.35) for _ in range(count)]
    ordered = sorted(samples)
    middle = ordered[count // 2] if count % 2 else (ordered[count // 2 - 1] + ordered[count // 2]) / 2
    scale = median_seconds * 1000 / middle
    return [round(sample * scale, 3) for sample in samples]


def _costs(total: float | None, weights: Sequence[float]) -> list[float]:
    """`total` split over the traces in proportion to `weights`, adding up to it exactly."""
    if total is None or not weights:
        return []
    units = round(total * COST_UNIT)
    shares = [int(units * weight / sum(weights)) for weight in weights]
    shares[-1] += units - sum(shares)
    return [share / COST_UNIT for share in shares]
