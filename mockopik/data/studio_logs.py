"""Studio optimization logs: Rich-style console output with ANSI colours, gzipped as Opik stores it.

A run's log is made from the run itself (its configuration, trials and end) and holds the lines written
up to the asked instant: it grows line by line while the run moves, and is empty while the run waits in
the queue (the worker writes it)."""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple
from uuid import UUID

from mockopik.domain.aggregates import objective_score
from mockopik.domain.models import Optimization, OptimizationStatus, Trial, TrialType

_DIM, _RESET, _BOLD = "\x1b[2m", "\x1b[0m", "\x1b[1m"
_LEVEL_COLOURS = {"INFO": "\x1b[34m", "WARNING": "\x1b[33m", "ERROR": "\x1b[31m"}
_GREEN = "\x1b[32m"
CANCELLED_LINE = "Execution cancelled by the user."  # what Opik's worker writes when a run is stopped


class Line(NamedTuple):
    at: datetime
    level: str
    text: str


def render(optimization_id: UUID, run: Optimization | None, dataset_name: str | None, now: datetime) -> str:
    """The log of a run as it stands at `now`, reproducible from its id (a generic finished run when the
    id is unknown)."""
    if run is None:
        lines = list(_header(optimization_id, {}, "evaluation-set", now - timedelta(minutes=1)))
        lines.append(Line(now, "INFO", f"{_GREEN}Optimization completed{_RESET}"))
        return _text(lines, now)
    if run.status is OptimizationStatus.INITIALIZED:
        return ""  # queued: the worker has not started, nothing is written yet
    config = run.studio_config or {}
    dataset = config.get("dataset_name") or dataset_name or "evaluation-set"
    return _text(_lines(run, config, dataset), now)


def _lines(run: Optimization, config: dict[str, Any], dataset: str) -> Iterator[Line]:
    """The whole log in order: the worker's start (a Studio run's within its first second, when it is
    picked up), a line per trial, the end; nothing after the end."""
    rng = random.Random(run.id.int)
    ended = run.last_updated_at if run.status.terminal else datetime.max.replace(tzinfo=timezone.utc)
    yield from _header(run.id, config, dataset, min(_started(run), ended))
    metric = run.objective_name
    best: float | None = None
    evaluated = 0
    for trial in run.trials:
        score = objective_score(trial, metric)
        if score is None:
            score = trial.feedback_scores.get(metric)
        text, best, evaluated = _trial_line(trial, score, metric, best, evaluated)
        yield Line(trial.created_at, "INFO", text)
        if rng.random() < 0.15:
            yield Line(
                trial.created_at, "WARNING", "LLM call retried after a rate limit (429); backing off 2.0s"
            )
        proposing = trial.created_at + timedelta(seconds=rng.uniform(1.0, 3.0))
        if proposing < ended:
            yield Line(proposing, "INFO", f"{_DIM}Generating new candidate prompts ...{_RESET}")
    yield from _end(run, metric, best)


def _started(run: Optimization) -> datetime:
    """When the worker started: a Studio run is picked up half way between its creation and its first
    trial (as runs are planned), so before that trial when it marked the run running; a run the SDK
    drives starts at its creation."""
    if run.studio_config is None:
        return run.created_at
    if run.trials:
        return run.created_at + (min(trial.created_at for trial in run.trials) - run.created_at) / 2
    if run.status is OptimizationStatus.RUNNING:
        return run.last_updated_at
    return run.created_at + timedelta(seconds=1)


def _trial_line(
    trial: Trial, score: float | None, metric: str, best: float | None, evaluated: int
) -> tuple[str, float | None, int]:
    """A trial's line, the best score after it and how many full evaluations were made."""
    shown = "n/a" if score is None else f"{score:.4f}"
    candidate = str(trial.candidate_id)[-8:]
    if trial.type is not TrialType.TRIAL:
        kind = "Mini-batch" if trial.type is TrialType.MINI_BATCH else "Mutation"
        return (
            f"{kind} of candidate {candidate} ({trial.trace_count} items): {metric} = {shown}",
            best,
            evaluated,
        )
    if not evaluated:
        return f"Baseline evaluation finished ({trial.trace_count} items): {metric} = {shown}", score, 1
    improved = score is not None and (best is None or score > best)
    marker = f" {_GREEN}(new best){_RESET}" if improved else ""
    text = f"Trial {evaluated}: candidate {candidate} ({trial.trace_count} items): {metric} = {shown}{marker}"
    return text, score if improved else best, evaluated + 1


def _header(run_id: UUID, config: dict[str, Any], dataset: str, at: datetime) -> Iterator[Line]:
    optimizer = config.get("optimizer", {}).get("type", "gepa")
    model = config.get("llm_model", {}).get("model", "gpt-4o-mini")
    metric = (config.get("evaluation", {}).get("metrics") or [{"type": "equals"}])[0]["type"]
    yield Line(at, "INFO", f"{_BOLD}Opik Optimization Studio{_RESET} run {run_id}")
    yield Line(at, "INFO", f"Optimizer: {optimizer} | model: {model} | metric: {metric}")
    yield Line(at, "INFO", f"Loading dataset '{dataset}'")


def _end(run: Optimization, metric: str, best: float | None) -> Iterator[Line]:
    at = run.last_updated_at
    if run.status is OptimizationStatus.COMPLETED:
        shown = "" if best is None else f": best {metric} = {best:.4f}"
        yield Line(at, "INFO", f"{_GREEN}Optimization completed{_RESET}{shown}")
    elif run.status is OptimizationStatus.CANCELLED:
        yield Line(at, "WARNING", CANCELLED_LINE)
    elif run.status is OptimizationStatus.ERROR:
        info = run.error_info or {}
        yield Line(at, "ERROR", f"Optimization failed: {info.get('exception_type', 'RuntimeError')}")
        for line in str(info.get("traceback", "Traceback (most recent call last):")).splitlines():
            yield Line(at, "", line)


def _text(lines: Iterable[Line], now: datetime) -> str:
    """The lines written by `now`, each stamped (a traceback's lines as they are)."""
    written = []
    for line in lines:
        if line.at > now:
            continue
        if not line.level:
            written.append(line.text)
            continue
        stamp = line.at.strftime("%Y-%m-%d %H:%M:%S")
        written.append(
            f"{_DIM}{stamp}{_RESET} {_LEVEL_COLOURS[line.level]}{line.level:<8}{_RESET} {line.text}"
        )
    return "\n".join(written)


def compress(text: str) -> bytes:
    """Gzip as Opik uploads the log (mtime fixed, so the bytes are reproducible)."""
    return gzip.compress(text.encode("utf-8"), mtime=0)
