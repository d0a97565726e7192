"""The ``lpsplan`` commands, by what they work on; ``lpsplan.cli`` gathers them into one group.

``graph``: build, validate, query, search, queries, openapi and serve, over the plan graph;
``network``: the responsibility networks' measures, exports and views; ``plans``: linking
titles, ingesting and removing plans, observations and targets; ``common``: the options and
the printing of tables they share.  Like ``cli.py`` and unlike the core, these modules use click.
"""
