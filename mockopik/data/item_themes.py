"""What datasets hold, by theme: question templates filled from `item_words`, right and wrong answers.

A theme turns a seeded random generator into one dataset item (its `data`, the key of the expected
answer) and answers of a model that got it right, nearly right or wrong. Datasets are matched to a
theme by their name (`billing-golden-3` is a support dataset, `gsm8k-200` a maths one).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mockopik.data.item_words import (
    ACTIONS,
    BRIDGES,
    CLAUSES,
    FACTS,
    HEADLINES,
    LABELS,
    NAMES,
    OPENERS,
    PRODUCTS,
    REVIEWS,
    SCIENCE,
    TABLES,
    TICKETS,
)

Data = dict[str, Any]


@dataclass(frozen=True)
class Theme:
    """How one kind of dataset makes its items and a model's answers to them."""

    name: str
    expected: str  # the key of `data` holding the reference answer
    build: Callable[[random.Random], Data]
    wrong: Callable[[random.Random, Data], str]

    def __reduce__(self) -> tuple[Callable[[str], Theme], tuple[str]]:
        """Pickled as its name: its makers are this module's own (a prebuilt data set refers to it)."""
        return theme_named, (self.name,)

    def answer(self, rng: random.Random, data: Data, score: float) -> str:
        """What a model answered, for an item it scored `score` (0 to 1) on."""
        reference = str(data[self.expected])
        if score >= 0.95:
            return reference
        if score >= 0.6:
            return _near(rng, reference)
        return self.wrong(rng, data)


def _near(rng: random.Random, reference: str) -> str:
    """A nearly right answer: the reference with a word or its ending changed."""
    words = reference.split()
    if len(words) > 3:
        del words[rng.randrange(1, len(words))]
        return " ".join(words)
    return rng.choice((f"I believe it is {reference}.", f"{reference} (not fully sure)", reference.lower()))


def _support(rng: random.Random) -> Data:
    action, answer = rng.choice(ACTIONS)
    return {"question": f"{rng.choice(OPENERS)} {action} on the {rng.choice(PRODUCTS)}?", "answer": answer}


def _classify(rng: random.Random) -> Data:
    ticket, label = rng.choice(TICKETS)
    return {"ticket": ticket.format(product=rng.choice(PRODUCTS)), "label": label}


def _sentiment(rng: random.Random) -> Data:
    review, label = rng.choice(REVIEWS)
    return {"review": review.format(product=rng.choice(PRODUCTS)), "label": label}


def _sql(rng: random.Random) -> Data:
    schema, question, query = rng.choice(TABLES)
    return {"question": question, "schema": schema, "sql": query}


def _extract(rng: random.Random) -> Data:
    number, total, day = rng.randint(1000, 9999), round(rng.uniform(90, 9000), 2), rng.randint(1, 28)
    document = f"INVOICE INV-{number}\nDate: 2026-0{rng.randint(1, 9)}-{day:02d}\nTotal due: ${total:,.2f}"
    return {
        "document": document,
        "expected_output": f'{{"invoice_number": "INV-{number}", "total": {total}}}',
    }


def _contract(rng: random.Random) -> Data:
    clause = rng.choice(CLAUSES)
    return {
        "question": "What does the contract say about this?",
        "context": f"Section {rng.randint(2, 14)}: {clause}.",
        "answer": clause.capitalize() + ".",
    }


def _summarize(rng: random.Random) -> Data:
    article, summary = rng.choice(HEADLINES)
    return {"article": article, "summary": summary}


def _rag(rng: random.Random) -> Data:
    question, answer, context, _ = rng.choice(FACTS)
    return {"question": question, "context": context, "answer": answer}


def _trivia(rng: random.Random) -> Data:
    question, answer, _, _ = rng.choice(FACTS)
    return {"question": question, "answer": answer}


def _multihop(rng: random.Random) -> Data:
    who, person, region, city = rng.choice(BRIDGES)
    return {
        "question": f"In which state or country was {who} born?",
        "answer": region,
        "context": f"{person} is {who}. {person} was born in {city}, {region}.",
    }


def _math(rng: random.Random) -> Data:
    name, price, count, paid = rng.choice(NAMES), rng.randint(2, 9), rng.randint(3, 12), rng.choice((50, 100))
    question = (
        f"{name} buys {count} notebooks at ${price} each and pays with ${paid}. How much change is due?"
    )
    return {"question": question, "answer": str(paid - price * count)}


def _science(rng: random.Random) -> Data:
    question, choices, answer = rng.choice(SCIENCE)
    return {"question": question, "choices": list(choices), "answer": answer}


def _other(key: str, options: tuple[str, ...]) -> Callable[[random.Random, Data], str]:
    return lambda rng, data: rng.choice([option for option in options if option != data[key]] or [""])


def _wrong_fact(rng: random.Random, data: Data) -> str:
    wrong = {question: fake for question, _, _, fake in FACTS}
    return wrong.get(data["question"], "I don't know.")


def _wrong_number(rng: random.Random, data: Data) -> str:
    return str(int(data["answer"]) + rng.choice((-10, -2, 2, 5, 10)))


THEMES = {
    theme.name: theme
    for theme in (
        Theme("support", "answer", _support, lambda rng, data: rng.choice(ACTIONS)[1]),
        Theme("classify", "label", _classify, _other("label", LABELS)),
        Theme("sentiment", "label", _sentiment, _other("label", ("positive", "negative", "neutral"))),
        Theme("sql", "sql", _sql, lambda rng, data: rng.choice(TABLES)[2]),
        Theme("extract", "expected_output", _extract, lambda rng, data: '{"invoice_number": null}'),
        Theme("contract", "answer", _contract, lambda rng, data: rng.choice(CLAUSES).capitalize() + "."),
        Theme("summarize", "summary", _summarize, lambda rng, data: data["article"]),
        Theme("rag", "answer", _rag, _wrong_fact),
        Theme("trivia", "answer", _trivia, _wrong_fact),
        Theme("multihop", "answer", _multihop, lambda rng, data: rng.choice(BRIDGES)[2]),
        Theme("math", "answer", _math, _wrong_number),
        Theme("science", "answer", _science, lambda rng, data: rng.choice(data["choices"])),
    )
}
# Dataset names (their first word, or the whole name) to themes.
THEME_OF_NAME = {
    "support": "support",
    "billing": "support",
    "refunds": "support",
    "onboarding": "support",
    "faq": "support",
    "tickets": "classify",
    "triage": "classify",
    "routing": "classify",
    "intent": "classify",
    "sentiment": "sentiment",
    "sql": "sql",
    "extraction": "extract",
    "contracts": "contract",
    "summaries": "summarize",
    "rag": "rag",
    "search": "rag",
    "qa": "rag",
    "hotpot": "multihop",
    "gsm8k": "math",
    "arc": "science",
    "halu": "rag",
    "truthful": "trivia",
}


def theme_named(name: str) -> Theme:
    return THEMES[name]


def theme_of(dataset_name: str) -> Theme:
    """The theme of a dataset, from the first word of its name (trivia when none fits)."""
    first = dataset_name.lower().replace("_", "-").split("-", 1)[0]
    return THEMES[THEME_OF_NAME.get(first, "trivia")]
