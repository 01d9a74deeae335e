"""The words generated Opik data is made of: models, metrics, optimizers, names, prompts, failures.

mockopik's own lists (not Faker's locale data), so seeded output stays the same across Faker
releases. Weights are rough shares of what a team's workspace holds.
"""

from __future__ import annotations

# LiteLLM model names as Opik users pass them, with a median trace duration (s) and a cost per trace (USD).
MODELS: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (1.1, 0.00042),
    "openai/gpt-4o-mini": (1.2, 0.00045),
    "gpt-4o": (2.4, 0.0061),
    "openai/gpt-4.1-mini": (1.5, 0.0009),
    "openai/gpt-4.1": (3.1, 0.0085),
    "o3-mini": (7.8, 0.0052),
    "anthropic/claude-3-5-sonnet-20241022": (3.6, 0.0094),
    "anthropic/claude-3-5-haiku-20241022": (1.4, 0.0021),
    "gemini/gemini-2.0-flash": (0.9, 0.00031),
    "gemini/gemini-1.5-pro": (3.9, 0.0048),
    "ollama/llama3.1": (4.2, 0.0),
}
STUDIO_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "claude-3-5-sonnet-latest", "gemini-2.0-flash")

SECONDARY_METRICS = ("answer_relevance", "hallucination", "context_recall", "moderation", "usefulness")

SDK_OPTIMIZERS = {
    "MetaPromptOptimizer": 5,
    "EvolutionaryOptimizer": 3,
    "FewShotBayesianOptimizer": 3,
    "GepaOptimizer": 3,
    "HierarchicalReflectiveOptimizer": 4,
    "MiproOptimizer": 1,
    "ParameterOptimizer": 1,
}
AGENT_CLASSES = ("LiteLLMAgent", "LangGraphAgent", "ADKAgent", "CrewAIAgent", "SupportAgent")

# Optimization Studio: optimizer types and their default parameters, metric types and theirs.
STUDIO_METRICS = ("equals", "json_schema_validator", "geval", "levenshtein_ratio")
STUDIO_OPTIMIZERS: dict[str, dict[str, object]] = {
    "gepa": {"verbose": False, "seed": 42},
    "evolutionary": {"population_size": 10, "num_generations": 3, "seed": 42},
    "hierarchical_reflective": {"convergence_threshold": 0.01, "verbose": False, "seed": 42},
}
GEVAL_CRITERIA = (
    (
        "You are an expert judge of customer-support answers.",
        "The answer is correct, polite and cites the policy.",
    ),
    (
        "You evaluate answers to questions about a document.",
        "The answer is faithful to the context, with no invented facts.",
    ),
    (
        "You grade SQL generated from a question.",
        "The query is valid and returns exactly the requested rows.",
    ),
)

# Names people give things.
DOMAINS = (
    "support", "billing", "refunds", "onboarding", "search", "rag", "faq", "triage", "sql",
    "summaries", "intent", "extraction", "routing", "qa", "sentiment", "contracts", "tickets",
)  # fmt: skip
DATASET_KINDS = ("eval", "golden", "regression", "holdout", "train", "benchmark", "smoke")
PUBLIC_DATASETS = ("hotpot-300", "tiny-test", "gsm8k-200", "halu-eval-300", "arc-100", "truthful-qa-50")
PROJECTS = ("Optimization", "Default Project", "support-bot", "rag-assistant", "sql-copilot", "triage-agent")
NAME_TEMPLATES = (
    "{domain} prompt v{version}",
    "{Domain} assistant tuning",
    "{domain}-{optimizer_short}-{version}",
    "{Domain}: {metric} push",
    "Try {optimizer_short} on {dataset}",
    "{Domain} few-shot ({model})",
    "{Domain} baseline sweep #{version}",
    "nightly {domain} run",
)
OPTIMIZER_SHORT = {
    "MetaPromptOptimizer": "metaprompt",
    "EvolutionaryOptimizer": "evo",
    "FewShotBayesianOptimizer": "fewshot",
    "GepaOptimizer": "gepa",
    "HierarchicalReflectiveOptimizer": "hrpo",
    "MiproOptimizer": "mipro",
    "ParameterOptimizer": "params",
}

# Failures: (exception type, message, innermost frame as (file, line, function, code)).
FAILURES = (
    (
        "RateLimitError",
        "litellm.RateLimitError: OpenAIException - Rate limit reached for gpt-4o-mini in organization "
        "org-3kq on tokens per min (TPM): Limit 200000, Used 199577, Requested 1235.",
        (
            "litellm/llms/openai/openai.py",
            829,
            "completion",
            "raise OpenAIError(status_code=429, message=str(e))",
        ),
    ),
    (
        "AuthenticationError",
        "litellm.AuthenticationError: AnthropicException - invalid x-api-key",
        (
            "litellm/llms/anthropic/chat/handler.py",
            412,
            "completion",
            "raise AnthropicError(status_code=401, message=text)",
        ),
    ),
    (
        "ContextWindowExceededError",
        "litellm.ContextWindowExceededError: This model's maximum context length is 128000 tokens.",
        ("litellm/main.py", 2311, "completion", "raise exception_type(model=model, original_exception=e)"),
    ),
    (
        "DatasetNotFoundError",
        "Dataset '{dataset}' not found",
        ("opik_backend/studio/helpers.py", 58, "load_dataset", "raise DatasetNotFoundError(dataset_name)"),
    ),
    (
        "EmptyDatasetError",
        "Dataset '{dataset}' has no items",
        ("opik_backend/studio/helpers.py", 66, "load_dataset", "raise EmptyDatasetError(dataset_name)"),
    ),
    (
        "KeyError",
        "'answer'",
        ("opik_optimizer/task_evaluator.py", 141, "_score", "reference = dataset_item[reference_key]"),
    ),
    (
        "ReadTimeout",
        "HTTPSConnectionPool(host='api.openai.com', port=443): Read timed out. (read timeout=600)",
        ("httpx/_transports/default.py", 86, "map_httpcore_exceptions", "raise mapped_exc(message) from exc"),
    ),
    (
        "JSONDecodeError",
        "Expecting value: line 1 column 1 (char 0)",
        (
            "json/decoder.py",
            355,
            "raw_decode",
            'raise JSONDecodeError("Expecting value", s, err.value) from None',
        ),
    ),
    (
        "ValueError",
        "Metric must return a ScoreResult or a list of ScoreResult, got NoneType",
        ("opik/evaluation/metrics/base_metric.py", 97, "score", "raise ValueError(message)"),
    ),
)
OUTER_FRAMES = {
    "MetaPromptOptimizer": ("opik_optimizer/algorithms/meta_prompt_optimizer/meta_prompt_optimizer.py", 512),
    "EvolutionaryOptimizer": (
        "opik_optimizer/algorithms/evolutionary_optimizer/evolutionary_optimizer.py",
        688,
    ),
    "FewShotBayesianOptimizer": ("opik_optimizer/algorithms/few_shot_bayesian_optimizer/optimizer.py", 377),
    "GepaOptimizer": ("opik_optimizer/algorithms/gepa_optimizer/gepa_optimizer.py", 301),
    "HierarchicalReflectiveOptimizer": (
        "opik_optimizer/algorithms/hierarchical_reflective_optimizer/optimizer.py",
        455,
    ),
    "MiproOptimizer": ("opik_optimizer/algorithms/mipro_optimizer/mipro_optimizer.py", 264),
    "ParameterOptimizer": ("opik_optimizer/algorithms/parameter_optimizer/parameter_optimizer.py", 219),
}
