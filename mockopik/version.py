"""mockopik's version and the Opik version whose backend behaviour it follows."""

__version__ = "0.1.0"
OPIK_VERSION = "2.2.122"
