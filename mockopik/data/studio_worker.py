"""The simulated Optimization Studio worker: what a new Studio run does, from its own configuration."""

from __future__ import annotations

import functools
import math
from typing import TYPE_CHECKING, Any

from mockopik.data.item_themes import theme_of
from mockopik.data.trials import RunSpec, plan_run
from mockopik.domain.catalog import item_count
from mockopik.domain.models import Dataset, Optimization, OptimizationStatus, Schedule

if TYPE_CHECKING:
    from mockopik.data.factories import OpikProvider

FAILURE_SHARE = 0.2  # of Studio runs the worker ends with an error


class SimulatedStudioWorker:
    """Plans each new Studio run as Opik's Python worker would run it (`optimizer_runner.py`): it picks
    the run up within seconds and marks it running, runs the baseline prompt of the config and then
    the optimizer's candidates (its model, its metric as the objective), then marks it completed, or
    error. The plan comes from the data seed and the run's id, so the same seed, the same requests
    and the same clock advances give the same history."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    @functools.cached_property
    def faker(self) -> OpikProvider:
        """Made when the first Studio run is (Faker is imported then: a start does without it)."""
        from mockopik.data.factories import opik_faker

        return opik_faker(self.seed)

    def plan(self, optimization: Optimization, dataset: Dataset) -> Schedule | None:
        config = optimization.studio_config
        if config is None:
            return None
        self.faker.generator.seed_instance(f"studio-worker:{self.seed}:{optimization.id}")
        rng = self.faker.rng
        optimizer = config["optimizer"]["type"]
        status = OptimizationStatus.ERROR if rng.random() < FAILURE_SHARE else OptimizationStatus.COMPLETED
        spec = RunSpec(
            optimizer=optimizer,
            model=config["llm_model"]["model"],
            objective=optimization.objective_name,
            theme=theme_of(config["dataset_name"]),
            baseline=[
                {"role": message["role"], "content": message["content"]}
                for message in config["prompt"]["messages"]
            ],
            dataset_name=dataset.name,
            dataset_id=dataset.id,
            dataset_size=item_count(dataset),
            temperature=_temperature(config["llm_model"].get("parameters")),
        )
        plan = plan_run(rng, status, spec, fail_at_start=0.1, prompts=rng)
        failure = (
            self.faker.error_info(optimizer, dataset.name) if status is OptimizationStatus.ERROR else None
        )
        return plan.schedule(optimization.created_at, rng, studio=True, error_info=failure)


def _temperature(parameters: Any) -> float:
    """The model's temperature from the config's parameters (any JSON; 0 when not a number)."""
    value = parameters.get("temperature") if isinstance(parameters, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 0.0
    try:
        temperature = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return 0.0
    return temperature if math.isfinite(temperature) else 0.0
