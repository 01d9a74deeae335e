"""`python -m mockopik` is the `mockopik` command."""

from mockopik.cli import main

main(prog_name="mockopik")
