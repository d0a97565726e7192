"""``python -m lpsplan.cli``: the same entry point as the ``lpsplan`` command."""

from . import main

main()
