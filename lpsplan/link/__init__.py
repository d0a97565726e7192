"""Linking project titles to the plans: the lexical (BM25) linker and its result types (``lexical``), the
sentence-embedding half (``semantic``) and their calibrated combination (``hybrid``), project lists and
link records in and out (``io``), the workflow behind ``lpsplan link`` and ``/api/link`` (``workflow``),
scoring on labelled titles (``evaluate``) and fitting the weights on the dev split (``fit``)."""
