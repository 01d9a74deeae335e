"""Prompts that optimizers start from and how they evolve: a baseline per dataset theme, then candidates
that each change their parent's prompt a little (an added instruction, a sharper role, a worked example)."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from mockopik.data.item_themes import Theme

Messages = list[dict[str, str]]


@dataclass(frozen=True)
class Baseline:
    """Where a run on a theme starts: the role, the user message template, metrics that fit the task."""

    system: str
    user: str
    metrics: tuple[str, ...]
    role: str


BASELINES = {
    "support": Baseline(
        "You are a helpful customer-support assistant. Answer the customer's question.",
        "{question}",
        ("answer_relevance", "levenshtein_ratio", "geval"),
        "support agent",
    ),
    "classify": Baseline(
        "Classify the support ticket into one of: billing, bug, feature, other.",
        "{ticket}",
        ("accuracy", "equals", "exact_match"),
        "ticket triager",
    ),
    "sentiment": Baseline(
        "Classify the sentiment of the review as positive, negative or neutral.",
        "{review}",
        ("accuracy", "equals"),
        "review analyst",
    ),
    "sql": Baseline(
        "Write a SQL query that answers the question. Use only the tables described.",
        "Schema: {schema}\nQuestion: {question}",
        ("geval", "exact_match"),
        "SQL analyst",
    ),
    "extract": Baseline(
        "Extract the invoice number and the total from the document as JSON.",
        "{document}",
        ("json_schema_validator", "equals"),
        "data-entry clerk",
    ),
    "contract": Baseline(
        "Answer the question using the contract excerpt.",
        "Context: {context}\nQuestion: {question}",
        ("levenshtein_ratio", "context_precision"),
        "contracts lawyer",
    ),
    "summarize": Baseline(
        "Summarize the article in one sentence.", "{article}", ("geval", "levenshtein_ratio"), "news editor"
    ),
    "rag": Baseline(
        "Answer the question using the context.",
        "Context: {context}\nQuestion: {question}",
        ("levenshtein_ratio", "answer_relevance", "context_precision", "hallucination_free"),
        "research assistant",
    ),
    "trivia": Baseline(
        "Answer the question.",
        "{question}",
        ("exact_match", "levenshtein_ratio", "f1_score"),
        "quiz champion",
    ),
    "multihop": Baseline(
        "Answer the question using the context.",
        "Context: {context}\nQuestion: {question}",
        ("f1_score", "exact_match", "levenshtein_ratio"),
        "fact checker",
    ),
    "math": Baseline(
        "Solve the math word problem.", "{question}", ("accuracy", "exact_match"), "maths tutor"
    ),
    "science": Baseline(
        "Answer the multiple-choice science question.",
        "Question: {question}\nChoices: {choices}",
        ("accuracy", "equals"),
        "science teacher",
    ),
}
# Instructions optimizers add to a prompt, one per new candidate.
REFINEMENTS = (
    "Think step by step, then give only the final answer on the last line.",
    "Answer in one short sentence and do not repeat the question.",
    "If the information needed is missing, reply exactly: I don't know.",
    "Quote the exact wording of the source when you can.",
    "Before answering, identify what is really being asked.",
    "Use the same terms as the input; do not invent names, numbers or dates.",
    "Prefer the most specific answer over a general one.",
    "Check your answer against the input once before replying.",
    "Do not add explanations, greetings or apologies.",
    "When two answers seem possible, choose the one the input supports best.",
    "Keep the output format identical for every input.",
    "Never answer from memory when the input contains the answer.",
)
ROLES = (
    "You are a meticulous {role}.",
    "You are an experienced {role} who is precise and concise.",
    "You are a careful {role}; accuracy matters more than speed.",
)


def baseline_messages(theme: Theme, braces: int = 1) -> Messages:
    """The baseline prompt of a theme; `braces=2` writes its variables as Studio does (`{{question}}`).
    One list per theme, shared by every run that starts from it: not to be changed."""
    return _baseline_messages(theme.name, braces)


@functools.cache
def _baseline_messages(theme_name: str, braces: int) -> Messages:
    baseline = BASELINES[theme_name]
    user = baseline.user.replace("{", "{{").replace("}", "}}") if braces == 2 else baseline.user
    return [{"role": "system", "content": baseline.system}, {"role": "user", "content": user}]


def evolve(rng: random.Random, parent: Messages, theme: Theme, few_shot: bool) -> Messages:
    """A child candidate's prompt: the parent's, with one instruction, role or example added."""
    system, rest = parent[0]["content"], parent[1:]
    roll = rng.random()
    if few_shot and roll < 0.6:
        data = theme.build(rng)
        question = ", ".join(f"{key}: {value}" for key, value in data.items() if key != theme.expected)
        system = f"{system}\n\nExample:\n{question}\nAnswer: {data[theme.expected]}"
    elif roll < 0.2 and not system.startswith("You are"):
        system = f"{rng.choice(ROLES).format(role=BASELINES[theme.name].role)} {system}"
    else:
        unused = [line for line in REFINEMENTS if line not in system] or list(REFINEMENTS)
        system = f"{system}\n{rng.choice(unused)}"
    return [{"role": "system", "content": system}, *[dict(message) for message in rest]]


def crossover(rng: random.Random, first: Messages, second: Messages) -> Messages:
    """A child of two candidates (evolutionary and GEPA merges): the lines of both system prompts."""
    lines = first[0]["content"].split("\n")
    lines += [line for line in second[0]["content"].split("\n") if line not in lines]
    return [{"role": "system", "content": "\n".join(lines)}, *[dict(message) for message in first[1:]]]
