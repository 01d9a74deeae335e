"""Seeded builders of realistic Opik data: a Faker provider and factories of workspaces and runs.

Everything random comes from one Faker generator seeded with `seed_instance` (never the global
`Faker.seed`) and mockopik's own word lists, so the same seed gives the same bytes.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate
from typing import Any, TypeVar

from faker import Generator
from faker.providers import BaseProvider

from mockopik.data import vocabulary as words
from mockopik.data.item_themes import THEMES, Theme, theme_of
from mockopik.data.prompts import BASELINES, baseline_messages
from mockopik.data.recipes import Recipe
from mockopik.data.trials import PlannedTrials, RunPlan, RunSpec, plan_run, plan_stream
from mockopik.domain.catalog import item_count
from mockopik.domain.ids import id_at
from mockopik.domain.lazy_trials import LazyTrials
from mockopik.domain.live import settle
from mockopik.domain.models import Dataset, Optimization, OptimizationStatus, Project
from mockopik.domain.names import generated_name
from mockopik.domain.workspace import Workspace

T = TypeVar("T")
Status = OptimizationStatus
SITE_PACKAGES = "/usr/local/lib/python3.11/site-packages"


def pick(rng: random.Random, weighted: Mapping[T, int]) -> T:
    """One key of `weighted`, chosen with its weight."""
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


class OpikProvider(BaseProvider):
    """Faker provider of what Opik users create: names, objectives, metadata, Studio configs, errors."""

    @property
    def rng(self) -> random.Random:
        generator_random: random.Random = self.generator.random
        return generator_random

    def generated_optimization_name(self) -> str:
        """Opik's own name for an unnamed run: `<adjective>_<noun>_<0..9999>`."""
        return generated_name(self.rng)

    def human_optimization_name(self, optimizer: str, model: str, dataset: str, objective: str) -> str:
        domain = self.rng.choice(words.DOMAINS)
        return self.rng.choice(words.NAME_TEMPLATES).format(
            domain=domain,
            Domain=domain.capitalize() if len(domain) > 3 else domain.upper(),
            version=self.rng.randint(1, 14),
            optimizer_short=words.OPTIMIZER_SHORT.get(optimizer, optimizer),
            metric=objective,
            dataset=dataset,
            model=model.rsplit("/", 1)[-1],
        )

    def dataset_name(self) -> str:
        if self.rng.random() < 0.2:
            return self.rng.choice(words.PUBLIC_DATASETS)
        domain, kind = self.rng.choice(words.DOMAINS), self.rng.choice(words.DATASET_KINDS)
        return f"{domain}-{kind}-{self.rng.randint(1, 9)}"

    def sdk_objective_name(self, theme: Theme) -> str:
        """The metric a team scores this kind of task with (its function's name, as the SDK reports it)."""
        return self.rng.choice(BASELINES[theme.name].metrics)

    def sdk_optimizer(self) -> str:
        return pick(self.rng, words.SDK_OPTIMIZERS)

    def llm_model(self) -> str:
        return self.rng.choice(list(words.MODELS))

    def optimizer_metadata(self, optimizer: str, model: str) -> dict[str, Any]:
        """`metadata` as the optimizer SDK writes it: the optimizer class, model, instance name, agent."""
        name = self.rng.choice(words.DOMAINS) if self.rng.random() < 0.4 else None
        agent_class = self.rng.choice(words.AGENT_CLASSES) if self.rng.random() < 0.2 else None
        return _optimizer_metadata(optimizer, model, name, agent_class)

    def studio_config(self, dataset_name: str, optimizer_type: str) -> dict[str, Any]:
        """A Studio run's config: the task's prompt, a model, a metric that fits the task, an optimizer."""
        theme = theme_of(dataset_name)
        fitting = [metric for metric in BASELINES[theme.name].metrics if metric in words.STUDIO_METRICS]
        metric = self.rng.choice(fitting or ["geval"])
        temperature = self.rng.choice([0.0, 0.2, 0.3, 0.7, 1.0])
        model = self.rng.choice(words.STUDIO_MODELS)
        parameters = self._metric_parameters(metric)
        return _studio_config(
            dataset_name, theme.name, model, temperature, metric, parameters, optimizer_type
        )

    def _metric_parameters(self, metric_type: str) -> int | bool | None:
        """What a metric's parameters are drawn from: the G-Eval criteria's number, or case sensitivity."""
        if metric_type == "geval":
            return self.rng.randrange(len(words.GEVAL_CRITERIA))
        if metric_type == "json_schema_validator":
            return None
        return self.rng.random() < 0.3

    def error_info(self, optimizer: str, dataset_name: str) -> dict[str, Any]:
        """A plausible failure: exception type, message and a Python traceback ending in it."""
        failure = self.rng.randrange(len(words.FAILURES))
        return _error_info(failure, optimizer, dataset_name, with_message=self.rng.random() >= 0.1)


# Values many generated runs have alike are one object each (runs never change them in place: a
# write replaces them, a read copies them): 100,000 runs hold a few hundred of these, not 100,000.


@functools.lru_cache(maxsize=4096)
def _studio_config(
    dataset_name: str,
    theme_name: str,
    model: str,
    temperature: float,
    metric: str,
    drawn: int | bool | None,
    optimizer_type: str,
) -> dict[str, Any]:
    theme = THEMES[theme_name]
    return {
        "dataset_name": dataset_name,
        "prompt": {"messages": baseline_messages(theme, braces=2)},
        "llm_model": {"model": model, "parameters": {"temperature": temperature}},
        "evaluation": {"metrics": [{"type": metric, "parameters": _metric_parameters(metric, drawn, theme)}]},
        "optimizer": {"type": optimizer_type, "parameters": dict(words.STUDIO_OPTIMIZERS[optimizer_type])},
    }


def _metric_parameters(metric_type: str, drawn: int | bool | None, theme: Theme) -> dict[str, Any]:
    if metric_type == "geval":
        introduction, criteria = words.GEVAL_CRITERIA[int(drawn or 0)]
        return {"task_introduction": introduction, "evaluation_criteria": criteria}
    if metric_type == "json_schema_validator":
        return {"schema": {"type": "object", "required": ["invoice_number", "total"]}}
    return {"case_sensitive": bool(drawn), "reference_key": theme.expected}


@functools.lru_cache(maxsize=4096)
def _optimizer_metadata(
    optimizer: str, model: str, name: str | None, agent_class: str | None
) -> dict[str, Any]:
    metadata: dict[str, Any] = {"optimizer": optimizer, "model": model}
    if name is not None:
        metadata["name"] = f"{name}-{words.OPTIMIZER_SHORT[optimizer]}"
    if agent_class is not None:
        metadata["agent_class"] = agent_class
    return metadata


@functools.lru_cache(maxsize=4096)
def _error_info(failure: int, optimizer: str, dataset_name: str, with_message: bool) -> dict[str, Any]:
    exception_type, message, (path, line, function, code) = words.FAILURES[failure]
    message = message.format(dataset=dataset_name)
    outer_path, outer_line = words.OUTER_FRAMES.get(optimizer, words.OUTER_FRAMES["GepaOptimizer"])
    traceback = "\n".join(
        [
            "Traceback (most recent call last):",
            f'  File "{SITE_PACKAGES}/{outer_path}", line {outer_line}, in optimize_prompt',
            "    score = self.evaluate_prompt(prompt=candidate, dataset=dataset, metric=metric)",
            f'  File "{SITE_PACKAGES}/opik_optimizer/task_evaluator.py", line 88, in evaluate',
            "    result = opik_evaluator.evaluate_optimization_trial(**arguments)",
            f'  File "{SITE_PACKAGES}/{path}", line {line}, in {function}',
            f"    {code}",
            f"{exception_type}: {message}",
        ]
    )
    info = {"exception_type": exception_type, "message": message, "traceback": traceback}
    if not with_message:
        del info["message"]
    return info


def opik_faker(seed: int | str) -> OpikProvider:
    """The Opik provider on a Faker generator of its own, seeded for this instance only. The generator
    has no other provider: mockopik uses none of Faker's locale data, and loading it all takes longer
    than generating the default data set."""
    generator = Generator()
    provider = OpikProvider(generator)
    generator.add_provider(provider)
    generator.seed_instance(seed)
    return provider


@dataclass
class OptimizationFactory:
    """Builds workspaces of optimizations with their trials, datasets and projects, from one seed."""

    seed: int
    reference: datetime
    recipe: Recipe = field(default_factory=Recipe)
    user: str = "admin"
    faker: OpikProvider = field(init=False)

    def __post_init__(self) -> None:
        self.faker = opik_faker(f"{self.recipe.salt}:{self.seed}" if self.recipe.salt else self.seed)
        self.rng: random.Random = self.faker.rng
        self._specs: dict[tuple[object, ...], RunSpec] = {}

    def workspace(self, count: int) -> Workspace:
        recipe = self.recipe
        space = Workspace()
        datasets = self._datasets(min(40, max(2, count // 4)))
        projects = self._projects(min(len(words.PROJECTS), max(2, count // 8)))
        for dataset in datasets:
            space.add_dataset(dataset)
        for project in projects:
            space.add_project(project)
        in_progress = recipe.in_progress if recipe.in_progress is not None else min(3, count // 8)
        ages = sorted(self.rng.uniform(0.0, recipe.days * 86400) for _ in range(count))
        dataset_weights = list(accumulate(1 / (n + 1) for n in range(len(datasets))))
        project_weights = list(accumulate(1 / (n + 1) for n in range(len(projects))))
        for index, age in enumerate(ages):
            live = index < in_progress
            studio = self.rng.random() < recipe.studio_share
            status = pick(self.rng, (live and recipe.endings) or recipe.terminal)  # how it ended, or will
            # a few datasets and projects get most of the runs
            dataset = self.rng.choices(datasets, cum_weights=dataset_weights)[0]
            project = self.rng.choices(projects, cum_weights=project_weights)[0]
            started = self.reference - timedelta(seconds=age)
            stage = STAGES[index % len(STAGES)] if live else None
            optimization = self.optimization(status, started, dataset, project, studio, stage)
            space.put(optimization)
        return space

    def _datasets(self, count: int) -> list[Dataset]:
        datasets: list[Dataset] = []
        names: set[str] = set()
        while len(datasets) < count:
            name = self.faker.dataset_name()
            if name in names:
                continue
            names.add(name)
            created = self.reference - timedelta(days=self.recipe.days + self.rng.uniform(1, 60))
            datasets.append(Dataset(id_at(created, self.rng), name, created))
        for dataset in datasets[2:]:  # the most used datasets stay; about one in six of the rest is gone
            dataset.deleted = self.rng.random() < 0.17
        return datasets

    def _projects(self, count: int) -> list[Project]:
        projects = []
        for name in words.PROJECTS[:count]:
            created = self.reference - timedelta(days=self.recipe.days + self.rng.uniform(1, 90))
            projects.append(Project(id_at(created, self.rng), name, created, self.user, created, self.user))
        return projects

    def optimization(
        self,
        status: Status,
        started: datetime,
        dataset: Dataset,
        project: Project | None,
        studio: bool,
        stage: Stage | None = None,
    ) -> Optimization:
        """One run that ended with `status`, its trials dated from `started` and ending before the reference
        instant; or, at a `stage`, a live run that will end so, at that stage of its plan at the reference
        instant (its future scheduled)."""
        config: dict[str, Any] | None = None
        metadata: dict[str, Any] | None = None
        theme = theme_of(dataset.name)
        if studio:
            optimizer = self.rng.choice(list(words.STUDIO_OPTIMIZERS))
            config = self.faker.studio_config(dataset.name, optimizer)
            model = config["llm_model"]["model"]
            objective = config["evaluation"]["metrics"][0]["type"]
            baseline, temperature = (
                config["prompt"]["messages"],
                config["llm_model"]["parameters"]["temperature"],
            )
        else:
            optimizer, model = self.faker.sdk_optimizer(), self.faker.llm_model()
            objective = self.faker.sdk_objective_name(theme)
            metadata = self.faker.optimizer_metadata(optimizer, model)
            baseline, temperature = baseline_messages(theme), 0.0
        project_name = project.name if project else None
        key = (optimizer, model, objective, studio, dataset.id, project_name, temperature)
        spec = self._specs.get(key)
        if spec is None:  # one per combination, shared by the runs alike
            spec = self._specs[key] = RunSpec(
                optimizer,
                model,
                objective,
                theme,
                baseline,
                dataset.name,
                dataset.id,
                item_count(dataset),
                project_name,
                temperature,
            )
        if stage is None:  # finished: planned from a seed of its own, its trials made from it when read
            seed = self.rng.getrandbits(64)
            plan = plan_run(plan_stream(seed), status, spec, self.recipe.fail_at_start)
        else:  # live: planned whole now, its future scheduled
            plan = plan_run(self.rng, status, spec, self.recipe.fail_at_start, prompts=self.rng)
        if stage is None:  # finished before the reference instant
            created = min(started, self.reference - plan.last_update - timedelta(seconds=30))
        else:
            created = self.reference - _clear_of_changes(stage(self.rng, plan, studio), plan, studio)
        name = (
            self.faker.generated_optimization_name()
            if studio or self.rng.random() < 0.5
            else self.faker.human_optimization_name(optimizer, model, dataset.name, objective)
        )
        run = Optimization(
            id=id_at(created, self.rng),
            name=name,
            dataset_id=dataset.id,
            objective_name=objective,
            status=status,
            created_at=created,
            created_by=self.user,
            last_updated_at=created + plan.last_update,
            last_updated_by=self.user,
            project_id=project.id if project else None,
            metadata=metadata,
            studio_config=config,
            error_info=self.faker.error_info(optimizer, dataset.name) if status is Status.ERROR else None,
        )
        if stage is None:
            run.trials = LazyTrials(PlannedTrials.of(seed, plan, self.recipe.fail_at_start, created))
            return run
        # created as the SDK creates a run (running), or as Studio does (initialized); the rest to come
        run.schedule = plan.schedule(created, self.rng, studio, run.error_info)
        run.status = Status.INITIALIZED if studio else Status.RUNNING
        run.last_updated_at, run.error_info = created, None
        return settle(run, self.reference)


# Where a live run is at the reference instant: how long ago it was created, from its plan.
Stage = Callable[[random.Random, RunPlan, bool], timedelta]


def _just_started(rng: random.Random, plan: RunPlan, studio: bool) -> timedelta:
    """A Studio run still queued, or an SDK run at about its baseline trial."""
    first = plan.steps[0].offset if plan.steps else plan.last_update / 2
    return (plan.started if studio else first) * rng.uniform(0.2 if studio else 0.3, 0.6 if studio else 1.1)


def _half_way(rng: random.Random, plan: RunPlan, studio: bool) -> timedelta:
    return plan.last_update * rng.uniform(0.4, 0.6)


def _about_to_finish(rng: random.Random, plan: RunPlan, studio: bool) -> timedelta:
    return plan.last_update * rng.uniform(0.9, 0.97)


STAGES: tuple[Stage, ...] = (_just_started, _half_way, _about_to_finish)
MARGIN = timedelta(seconds=1)


def _clear_of_changes(elapsed: timedelta, plan: RunPlan, studio: bool) -> timedelta:
    """`elapsed`, moved back until no change of the run is within a second of it: a client that reads
    the data a few milliseconds after it is put in place sees the same state."""
    changes = [step.offset for step in plan.steps] + [plan.last_update] + ([plan.started] if studio else [])
    while elapsed > MARGIN and any(abs(change - elapsed) < MARGIN for change in changes):
        elapsed -= MARGIN / 2
    return elapsed


def build_workspace(seed: int, count: int, recipe: Recipe, reference: datetime, user: str) -> Workspace:
    """`count` optimizations mixed by `recipe`, from `seed`, dated back from `reference`."""
    return OptimizationFactory(seed, reference, recipe, user).workspace(count)
