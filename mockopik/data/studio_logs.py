"""Studio optimization logs: Rich-style console output with ANSI colours, gzipped as Opik stores it."""

from __future__ import annotations

import gzip
import random
from datetime import datetime, timedelta
from uuid import UUID

from mockopik.domain.models import OptimizationStatus, OptimizationView

_DIM, _RESET, _BOLD = "\x1b[2m", "\x1b[0m", "\x1b[1m"
_LEVEL_COLOURS = {"INFO": "\x1b[34m", "WARNING": "\x1b[33m", "ERROR": "\x1b[31m"}
_GREEN = "\x1b[32m"


def render(optimization_id: UUID, view: OptimizationView | None, start: datetime) -> str:
    """The log text of one Studio run, reproducible from its id (a generic run when unknown)."""
    rng = random.Random(optimization_id.int)
    config = (view.studio_config if view else None) or {}
    optimizer = config.get("optimizer", {}).get("type", "gepa")
    model = config.get("llm_model", {}).get("model", "gpt-4o-mini")
    metric = (config.get("evaluation", {}).get("metrics") or [{"type": "equals"}])[0]["type"]
    dataset = config.get("dataset_name") or (view.dataset_name if view else None) or "evaluation-set"
    status = view.status if view else OptimizationStatus.COMPLETED
    moment = view.created_at if view else start
    lines: list[str] = []

    def emit(level: str, text: str) -> None:
        nonlocal moment
        moment += timedelta(seconds=rng.uniform(0.2, 9.0))
        stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{_DIM}{stamp}{_RESET} {_LEVEL_COLOURS[level]}{level:<8}{_RESET} {text}")

    emit("INFO", f"{_BOLD}Opik Optimization Studio{_RESET} run {optimization_id}")
    emit("INFO", f"Optimizer: {optimizer} | model: {model} | metric: {metric}")
    emit("INFO", f"Loading dataset '{dataset}' ({rng.randint(20, 400)} items)")
    score = rng.uniform(0.3, 0.6)
    emit("INFO", f"Baseline evaluation finished: {metric} = {score:.4f}")
    best = score
    trials = rng.randint(3, 8) if status is not OptimizationStatus.INITIALIZED else 0
    for trial in range(1, trials + 1):
        score = min(0.99, max(0.0, score + rng.uniform(-0.05, 0.09)))
        marker = f" {_GREEN}(new best){_RESET}" if score > best else ""
        best = max(best, score)
        emit(
            "INFO", f"Trial {trial}/{trials}: evaluating candidate prompt ... {metric} = {score:.4f}{marker}"
        )
        if rng.random() < 0.15:
            emit("WARNING", "LLM call retried after a rate limit (429); backing off 2.0s")
    if status is OptimizationStatus.ERROR:
        info = (view.error_info if view else None) or {}
        emit("ERROR", f"Optimization failed: {info.get('exception_type', 'RuntimeError')}")
        lines.extend(str(info.get("traceback", "Traceback (most recent call last):")).splitlines())
    elif status is OptimizationStatus.CANCELLED:
        emit("WARNING", "Optimization cancelled by user")
    elif status is OptimizationStatus.COMPLETED:
        emit("INFO", f"{_GREEN}Optimization completed{_RESET}: best {metric} = {best:.4f}")
    else:
        emit("INFO", "Waiting for the next trial ...")
    return "\n".join(lines)


def compress(text: str) -> bytes:
    """Gzip as Opik uploads the log (mtime fixed, so the bytes are reproducible)."""
    return gzip.compress(text.encode("utf-8"), mtime=0)
