"""Opik's generated names for unnamed optimizations: `<adjective>_<noun>_<0..9999>`."""

from __future__ import annotations

import random

ADJECTIVES = (
    "able", "agile", "amber", "ancient", "azure", "bold", "brave", "bright", "brisk", "calm",
    "candid", "clever", "cosmic", "crimson", "curious", "dapper", "daring", "dusty", "eager",
    "earnest", "electric", "elegant", "fancy", "fearless", "fluffy", "frosty", "gentle", "glad",
    "golden", "graceful", "happy", "hidden", "honest", "humble", "icy", "jolly", "keen", "kind",
    "lazy", "lively", "lucky", "lunar", "mellow", "mighty", "misty", "modest", "noble", "nimble",
    "olive", "patient", "plucky", "polite", "proud", "quick", "quiet", "radiant", "rapid", "rustic",
    "serene", "shiny", "silent", "silver", "sleek", "smooth", "snowy", "solar", "spry", "steady",
    "stellar", "sunny", "swift", "teal", "tidy", "tranquil", "vivid", "warm", "wise", "witty",
    "young", "zealous",
)  # fmt: skip
NOUNS = (
    "aardvark", "albatross", "alpaca", "apple", "badger", "beacon", "bison", "canyon", "capybara",
    "cheetah", "comet", "coral", "crane", "delta", "dolphin", "ember", "falcon", "fjord", "forest",
    "gecko", "glacier", "harbor", "hedgehog", "heron", "ibis", "island", "jaguar", "kestrel",
    "koala", "lagoon", "lemur", "lighthouse", "lynx", "mango", "marmot", "meadow", "meteor",
    "narwhal", "nebula", "ocelot", "orchid", "otter", "pagoda", "panda", "pebble", "pelican",
    "prairie", "puffin", "quasar", "quokka", "raven", "reef", "river", "sequoia", "sparrow",
    "summit", "tapir", "thunder", "tiger", "tundra", "valley", "volcano", "walrus", "willow",
    "wombat", "world", "yak", "zebra",
)  # fmt: skip


def generated_name(rng: random.Random) -> str:
    """A name as Opik generates one when an optimization is created without a name."""
    return f"{rng.choice(ADJECTIVES)}_{rng.choice(NOUNS)}_{rng.randrange(10000)}"
