"""Testing against mockopik: the Mockopik client, control client, expectations, pytest plugin."""
