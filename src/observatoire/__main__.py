"""`python -m observatoire` is the `observatoire` command."""

from observatoire.cli import main

main()
