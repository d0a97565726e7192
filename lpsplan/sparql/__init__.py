"""The SPARQL layer of the core: backends (embedded Oxigraph with killable worker
processes, or any external SPARQL 1.1 server), result formats, and the SHACL
gate for writes.  No web framework here: :mod:`lpsplan.api` sits on top."""
