"""The drift check: mockopik's behaviour model (its own spec) against an Opik OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from mockopik.contract.drift import DELIBERATE_DRIFT, Drift, as_backend
from mockopik.contract.openapi import build_spec
from mockopik.contract.spec_facts import (
    BODY,
    METHODS,
    OPERATION,
    PRESENT,
    Document,
    Fact,
    OperationFacts,
    facts,
    in_scope,
    operation_key,
)

MISSING, EXTRA = "missing in mockopik", "extra in mockopik"


@dataclass(frozen=True, order=True)
class Difference:
    """One fact only one side states; `drift` names the known deliberate drift it is, if any."""

    fact: Fact
    kind: str
    label: str
    drift: str | None = None

    @property
    def documented(self) -> bool:
        return self.drift is not None


@dataclass(frozen=True)
class Report:
    differences: tuple[Difference, ...]

    @property
    def undocumented(self) -> tuple[Difference, ...]:
        return tuple(difference for difference in self.differences if not difference.documented)


class _OpenApiLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML as OpenAPI documents are written: YAML 1.1's `=` (the "value" key type, which PyYAML cannot
    construct) is the text `=`, as in Opik's filter operator enums (`- =`). libyaml when installed."""


_OpenApiLoader.add_constructor("tag:yaml.org,2002:value", _OpenApiLoader.construct_yaml_str)


def load_document(path: str | Path) -> dict[str, Any]:
    """An OpenAPI document from a JSON or YAML file, such as Opik's whole published `opik.yaml`."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        document = _parsed(text)
    except yaml.YAMLError as error:
        raise ValueError(f"{path}: neither JSON nor YAML: {error}") from None
    if not isinstance(document, dict) or "paths" not in document:
        raise ValueError(f"{path}: not an OpenAPI document (no `paths`)")
    return document


def _parsed(text: str) -> Any:
    """JSON (read as JSON: much faster than as YAML), else YAML."""
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            pass  # a YAML flow mapping
    return yaml.load(text, _OpenApiLoader)  # a safe loader


def differences(mockopik: Mapping[str, Any], opik: Mapping[str, Any]) -> set[Difference]:
    """What the two documents say differently about the operations compared: those either side tags
    Optimizations, and every other one mockopik serves that the Opik document has too."""
    ours, theirs = facts(mockopik), facts(opik)
    keys = {key for side in (ours, theirs) for key, operation in side.items() if operation.in_scope}
    keys |= ours.keys() & theirs.keys()
    ours_facts = _union(ours[key] for key in keys if key in ours)
    theirs_facts = _union(theirs[key] for key in keys if key in theirs)
    labels = {
        key: operation.label + f" ({operation.operation_id})" for key, operation in {**ours, **theirs}.items()
    }
    found = {Difference(fact, MISSING, labels[fact.operation]) for fact in theirs_facts - ours_facts}
    found |= {Difference(fact, EXTRA, labels[fact.operation]) for fact in ours_facts - theirs_facts}
    unstated = _unstated(ours_facts) | _unstated(theirs_facts)
    return {
        d
        for d in found
        if not _subsumed(d.fact, ours_facts if d.kind == MISSING else theirs_facts)
        and (_subject(d.fact), d.fact.detail.split(" ")[0]) not in unstated
    }


def _subject(fact: Fact) -> tuple[str, str, str]:
    return fact.operation, fact.where, fact.subject


def _unstated(side: frozenset[Fact]) -> set[tuple[tuple[str, str, str], str]]:
    """(subject, "type"/"format") a side leaves open: a schema without a type (any JSON value) agrees
    with every type, and formats are compared only where both sides state one (int32 and int64 are
    both an `integer`)."""
    typed = {_subject(fact) for fact in side if fact.detail.startswith("type ") and fact.detail != "type any"}
    formatted = {_subject(fact) for fact in side if fact.detail.startswith("format ")}
    subjects = {_subject(fact) for fact in side if fact.detail == PRESENT}
    return {(subject, "type") for subject in subjects - typed} | {
        (subject, "format") for subject in subjects - formatted
    }


def _union(operations: Iterable[OperationFacts]) -> frozenset[Fact]:
    return frozenset(fact for operation in operations for fact in operation.facts)


def _subsumed(fact: Fact, other: frozenset[Fact]) -> bool:
    """True when the other side lacks what `fact` is part of (its operation, status, body or field)."""
    key, where = fact.operation, fact.where
    if fact.subject != OPERATION and Fact(key, "operation", OPERATION, PRESENT) not in other:
        return True
    if where.startswith("response ") and Fact(key, "responses", where.split()[1], PRESENT) not in other:
        return True
    if where.endswith("body") and fact.subject != BODY and Fact(key, where, BODY, PRESENT) not in other:
        return True
    if fact.detail != PRESENT and Fact(key, where, fact.subject, PRESENT) not in other:
        return True
    parts = fact.subject.split(".")
    ancestors = {".".join(parts[:n]).removesuffix("[]") for n in range(1, len(parts))} - {""}
    return any(Fact(key, where, ancestor, PRESENT) not in other for ancestor in ancestors)


def _scoped(opik: Mapping[str, Any], mockopik: Mapping[str, Any]) -> dict[str, Any]:
    """`opik` with only the operations a comparison looks at (a full Opik spec has hundreds)."""
    ours = {key for key, _, _ in Document(mockopik).operations()}
    paths = {}
    for path, item in (opik.get("paths") or {}).items():
        kept = {
            name: value
            for name, value in item.items()
            if name not in METHODS or in_scope(value) or operation_key(name, path) in ours
        }
        if any(name in METHODS for name in kept):
            paths[path] = kept
    return {**opik, "paths": paths}


def check(opik: Mapping[str, Any], drifts: tuple[Drift, ...] = DELIBERATE_DRIFT) -> Report:
    """Every difference between mockopik and `opik`, each named after the known drift that explains it."""
    mockopik = build_spec()
    opik = _scoped(opik, mockopik)
    raw = differences(mockopik, opik)
    remaining = differences(mockopik, as_backend(opik, mockopik, drifts))
    explained = {}
    for drift in drifts:
        if drift.patch is not None:
            gone = raw - differences(mockopik, as_backend(opik, mockopik, (drift,)))
            explained.update({difference: drift.topic for difference in gone if difference not in explained})
    classified = [
        Difference(d.fact, d.kind, d.label, None if d in remaining else explained.get(d, "several"))
        for d in raw
    ]
    classified += [d for d in remaining if d not in raw]
    return Report(tuple(sorted(classified, key=lambda d: (d.documented, d.label, d.fact, d.kind))))


def render(report: Report, verbose: bool = False) -> str:
    """The report as text: undocumented differences first; known drift listed in full when `verbose`."""
    lines: list[str] = []
    for difference in report.undocumented:
        lines.append(f"{difference.kind:<20} {_describe(difference)}")
    known = [difference for difference in report.differences if difference.documented]
    for difference in known if verbose else ():
        lines.append(f"{'known drift':<20} {_describe(difference)}  [{difference.kind}; {difference.drift}]")
    topics = sorted({str(difference.drift) for difference in known})
    lines.append(
        f"{len(report.undocumented)} undocumented difference(s); "
        f"{len(known)} known deliberate drift(s){': ' + '; '.join(topics) if topics else ''}"
    )
    return "\n".join(lines)


def _describe(difference: Difference) -> str:
    fact = difference.fact
    if fact.subject == OPERATION:
        return f"{difference.label}: operation"
    if fact.where == "responses":
        return f"{difference.label}: status {fact.subject}"
    detail = "" if fact.detail == PRESENT else f" {fact.detail}"
    return f"{difference.label}: {fact.where} {fact.subject}{detail}"
