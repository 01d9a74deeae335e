"""Seeded builders of realistic Opik data: datasets, projects, optimizations and their trials."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any

from faker import Faker

from mockopik.config import Settings
from mockopik.ids import id_at
from mockopik.models import Dataset, Optimization, OptimizationStatus, Project
from mockopik.names import generated_name
from mockopik.store import DEFAULT_WORKSPACE, Workspace

REFERENCE_TIME = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
OBJECTIVES = ("accuracy", "levenshtein_ratio", "geval", "answer_relevance", "equals", "f1")
OPTIMIZERS = (
    "MetaPromptOptimizer",
    "EvolutionaryOptimizer",
    "FewShotBayesianOptimizer",
    "GepaOptimizer",
    "HierarchicalReflectiveOptimizer",
)
MODELS = ("gpt-4o-mini", "gpt-4o", "claude-3-5-sonnet-latest", "gemini/gemini-2.0-flash")


class OptimizationFactory:
    """Builds one workspace of optimizations from a seed; the same seed gives the same records."""

    def __init__(self, seed: int, reference: datetime = REFERENCE_TIME, user: str = "admin") -> None:
        self.rng = random.Random(seed)
        self.faker = Faker()
        self.faker.seed_instance(seed)
        self.reference = reference
        self.user = user

    def workspace(self, count: int) -> Workspace:
        space = Workspace()
        if count == 0:
            return space
        datasets = [self._dataset(index) for index in range(max(1, count // 4))]
        projects = [self._project(name) for name in ("Default Project", "prompt-lab")]
        for dataset in datasets:
            space.add_dataset(dataset)
        for project in projects:
            space.add_project(project)
        statuses = list(OptimizationStatus)
        for index in range(count):
            status = statuses[index % len(statuses)]
            optimization = self._optimization(status, self.rng.choice(datasets), self.rng.choice(projects))
            space.put(optimization)
        return space

    def _moment(self, max_days: float) -> datetime:
        return self.reference - timedelta(seconds=self.rng.uniform(0, max_days * 86400))

    def _dataset(self, index: int) -> Dataset:
        name = f"{self.faker.word()}-{self.faker.word()}-eval-{index}"
        return Dataset(id_at(self._moment(60), self.rng), name, self._moment(60))

    def _project(self, name: str) -> Project:
        created = self._moment(90)
        return Project(id_at(created, self.rng), name, created, self.user, created, self.user)

    def _optimization(self, status: OptimizationStatus, dataset: Dataset, project: Project) -> Optimization:
        created = self._moment(28)
        optimizer = self.rng.choice(OPTIMIZERS)
        studio = self.rng.random() < 0.3
        metadata: dict[str, Any] = {"optimizer": optimizer, "model": self.rng.choice(MODELS)}
        return Optimization(
            id=id_at(created, self.rng),
            name=generated_name(self.rng) if self.rng.random() < 0.5 else self.faker.catch_phrase(),
            dataset_id=dataset.id,
            objective_name=self.rng.choice(OBJECTIVES),
            status=status,
            created_at=created,
            created_by=self.user,
            last_updated_at=created + timedelta(minutes=self.rng.uniform(1, 180)),
            last_updated_by=self.user,
            project_id=project.id,
            metadata=metadata,
            studio_config=self._studio_config(dataset.name, optimizer) if studio else None,
            error_info=self._error_info() if status is OptimizationStatus.ERROR else None,
        )

    def _studio_config(self, dataset_name: str, optimizer: str) -> dict[str, Any]:
        return {
            "dataset_name": dataset_name,
            "prompt": {
                "messages": [
                    {"role": "system", "content": "You are a helpful assistant."},
                    {"role": "user", "content": "{{question}}"},
                ]
            },
            "llm_model": {"model": self.rng.choice(MODELS), "parameters": {"temperature": 0.2}},
            "evaluation": {"metrics": [{"type": "equals", "parameters": {"case_sensitive": False}}]},
            "optimizer": {"type": "gepa", "parameters": {"optimizer": optimizer}},
        }

    def _error_info(self) -> dict[str, Any]:
        return {
            "exception_type": "RateLimitError",
            "message": "Rate limit reached for requests",
            "traceback": 'Traceback (most recent call last):\n  File "optimizer.py", line 42\nRateLimitError',
        }


def seed_workspaces(settings: Settings) -> dict[str, Workspace]:
    """The boot data set: `settings.count` optimizations from `settings.seed` in the default workspace."""
    factory = OptimizationFactory(settings.seed, user=settings.user)
    return {DEFAULT_WORKSPACE: factory.workspace(settings.count)}
