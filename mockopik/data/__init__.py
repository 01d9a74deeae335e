"""Seeded data: vocabulary, Faker provider, factories, trials, scenarios, fixture files, boot."""
