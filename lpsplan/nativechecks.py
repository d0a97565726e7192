"""SHACL-SPARQL constraints evaluated in Python, in time linear in the graph.

A SHACL engine runs a SPARQL-based constraint once per focus node.  Five of the
shapes' constraints then cost more than the graph grows (bench/large_plan_bench.py):
the ordinal check meets, for each part, every part that shares its ordinal or its
parent (a task table of 5,000 rows: 5,000 tasks under one section, 5,000 clauses
of ordinal 1); the check that every responsible unit has its responsibility node
grew the same way in the engine; and the two span checks and the check of what
lies between a clause and its annotation take the whole source text (hundreds of
thousands of characters) and a substring of it for every span.

Each native check here evaluates one of those constraints exactly as written
in ``ontology/shapes.ttl`` — the same solutions, hence the same results,
messages and values — from indexes built once.  A check is used only when the
constraint's query is, word for word, the one it implements; the shapes file
stays standard SHACL-SPARQL, and any other SHACL processor reads it alone.  A
check that meets data outside what it evaluates exactly (a start that is not
an integer, a second source text, …) declines, and the engine runs that
constraint itself (``tests/test_nativechecks.py`` compares both ways).
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH, XSD

from .vocab import LPS, OA


class Unsupported(Exception):
    """The data holds a case the native check does not evaluate exactly: leave the constraint to the engine."""


Solution = dict[str, object]  # a SPARQL solution: variable name (without ?/$) -> RDF term


def _one_line(query: str) -> str:
    return " ".join(query.split())


def _index(g: Graph, p) -> dict:
    out: dict = defaultdict(list)
    for s, o in g.subject_objects(p):
        out[s].append(o)
    return out


def _objects(g: Graph) -> Callable[[object, object], list]:
    """objects(node, p) as g.objects, from one index per predicate built on first use (a lookup in the graph's
    store costs some microseconds, and these checks make a few for each of tens of thousands of spans)."""
    indexes: dict = {}

    def objects(node, p) -> list:
        if p not in indexes:
            indexes[p] = _index(g, p)
        return indexes[p].get(node, [])

    return objects


# ---------------------------------------------------------------- the checks

ORDINAL_UNIQUE = """
    SELECT $this ?o WHERE {
        $this lps:ordinal ?o ; dcterms:isPartOf ?parent ; rdf:type ?type .
        ?other lps:ordinal ?o ; dcterms:isPartOf ?parent ; rdf:type ?type .
        FILTER (?other != $this)
    }"""


def ordinal_unique(g: Graph, focus: list) -> Iterator[Solution]:
    ordinal, parent, kind = _index(g, LPS.ordinal), _index(g, DCTERMS.isPartOf), _index(g, RDF.type)
    holders: dict = defaultdict(set)  # (ordinal, parent, type) -> the nodes that have all three
    for node, os in ordinal.items():
        for o in os:
            for p in parent.get(node, ()):
                for t in kind.get(node, ()):
                    holders[(o, p, t)].add(node)
    for this in focus:
        for o in ordinal.get(this, ()):
            if any(holders[(o, p, t)] - {this} for p in parent.get(this, ()) for t in kind.get(this, ())):
                yield {"this": this, "o": o}


UNIT_HAS_RESPONSIBILITY = """
    SELECT $this ?u WHERE {
        $this lps:responsibleUnit ?u .
        FILTER NOT EXISTS { ?r lps:clause $this ; lps:unit ?u }
    }"""


def unit_has_responsibility(g: Graph, focus: list) -> Iterator[Solution]:
    units = _index(g, LPS.unit)
    held: set = set()  # (clause, unit) pairs some responsibility node states
    for r, clause in g.subject_objects(LPS.clause):
        for u in units.get(r, ()):
            held.add((clause, u))
    for this in focus:
        for u in g.objects(this, LPS.responsibleUnit):
            if (this, u) not in held:
                yield {"this": this, "u": u}


SPAN_WITHIN_TEXT = """
    SELECT $this ?s ?e WHERE {
        $this oa:hasSelector ?sel ; oa:hasSource ?src .
        ?sel oa:start ?s ; oa:end ?e .
        ?src lps:content ?c .
        FILTER (?s < 0 || ?e <= ?s || ?e > STRLEN(?c))
    }"""


def _integer(term) -> int:
    """An oa:start/oa:end as SPARQL compares it; anything but a well-formed xsd:integer is left to the engine."""
    if isinstance(term, Literal) and term.datatype == XSD.integer and type(term.value) is int:
        return term.value
    raise Unsupported(f"offset {term!r}")


def _lengths(g: Graph) -> dict:
    """Each source's text length, computed once per text (STRLEN counts characters, as len() does)."""
    out = {}
    for src, c in g.subject_objects(LPS.content):
        if src in out or not isinstance(c, Literal) or c.datatype not in (None, XSD.string):
            raise Unsupported(f"content of {src}")
        out[src] = len(str(c))
    return out


def _selectors(objects, span) -> Iterator[tuple]:
    for sel in objects(span, OA.hasSelector):
        for s in objects(sel, OA.start):
            for e in objects(sel, OA.end):
                yield s, e


def span_within_text(g: Graph, focus: list) -> Iterator[Solution]:
    lengths, objects = _lengths(g), _objects(g)
    for this in focus:
        sources = [src for src in objects(this, OA.hasSource) if src in lengths]
        for s, e in _selectors(objects, this) if sources else ():
            si, ei = _integer(s), _integer(e)
            if si < 0 or ei <= si or any(ei > lengths[src] for src in sources):
                yield {"this": this, "s": s, "e": e}


TEXT_MATCHES_SPAN = """
    SELECT $this ?value WHERE {
        $this lps:text ?value ; prov:wasDerivedFrom ?sr .
        ?sr oa:hasSelector ?sel ; oa:hasSource ?src .
        ?sel oa:start ?s ; oa:end ?e .
        ?src lps:content ?c .
        FILTER (SUBSTR(STR(?c), ?s + 1, ?e - ?s) != STR(?value))
    }"""


def text_matches_span(g: Graph, focus: list) -> Iterator[Solution]:
    _lengths(g)  # the same conditions on the texts as above
    texts, objects = {src: str(c) for src, c in g.subject_objects(LPS.content)}, _objects(g)
    for this in focus:
        for value in objects(this, LPS.text):
            if isinstance(value, BNode):  # STR() of a blank node is an error: no solution
                continue
            for sr in objects(this, PROV.wasDerivedFrom):
                sources = [texts[src] for src in objects(sr, OA.hasSource) if src in texts]
                for s, e in _selectors(objects, sr) if sources else ():
                    si, ei = _integer(s), _integer(e)
                    if si < 0:  # the engines read a substring before the text's start differently
                        raise Unsupported(f"start {si}")
                    for text in sources:
                        if text[si:max(si, ei)] != str(value):  # SUBSTR from si+1 for ei-si characters ("" when ei <= si)
                            yield {"this": this, "value": value}
                            break


CLAUSE_BESIDE_ANNOTATION = r"""
    SELECT $this WHERE {
        FILTER NOT EXISTS { $this lps:inheritedFrom ?source }
        $this prov:wasDerivedFrom/oa:hasSelector/oa:end ?end ;
              prov:wasDerivedFrom/oa:hasSelector/oa:start ?start ;
              lps:annotation ?a .
        ?a oa:hasSelector/oa:start ?astart ; oa:hasSelector/oa:end ?aend ; oa:hasSource/lps:content ?c .
        FILTER (IF(?aend <= ?start,
                   !REGEX(SUBSTR(STR(?c), ?aend + 1, ?start - ?aend), "^[\\s。:：]*$"),
                   ?end > ?astart || !REGEX(SUBSTR(STR(?c), ?end + 1, ?astart - ?end), "^\\s*$")))
    }"""
# \s as the default engine's regular expressions read it (Unicode White_Space); Python's \s also takes U+001C–U+001F,
# so a gap holding one of those is left to the engine
_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_GAP_AFTER = re.compile(f"[{_SPACE}。:：]*")
_GAP_BEFORE = re.compile(f"[{_SPACE}]*")
_DISPUTED = re.compile("[\x1c-\x1f]")


def _gap(text: str, start: int, end: int, pattern: re.Pattern) -> bool:
    """Whether REGEX(SUBSTR(text, start + 1, end - start), pattern) holds (start >= 0: the substring is a slice)."""
    if start < 0:
        raise Unsupported(f"start {start}")
    gap = text[start:end]
    if _DISPUTED.search(gap):
        raise Unsupported("a control character the engines' \\s read differently")
    return pattern.fullmatch(gap) is not None


def clause_beside_annotation(g: Graph, focus: list) -> Iterator[Solution]:
    _lengths(g)
    texts, objects = {src: str(c) for src, c in g.subject_objects(LPS.content)}, _objects(g)

    def offsets(node, first, p) -> list[int]:
        return [_integer(x) for r in objects(node, first) for sel in objects(r, OA.hasSelector) for x in objects(sel, p)]

    for this in focus:
        if (this, LPS.inheritedFrom, None) in g:
            continue
        ends, starts = offsets(this, PROV.wasDerivedFrom, OA.end), offsets(this, PROV.wasDerivedFrom, OA.start)
        for a in objects(this, LPS.annotation) if ends and starts else ():
            sources = [texts[src] for src in objects(a, OA.hasSource) if src in texts]
            astarts = [_integer(x) for sel in objects(a, OA.hasSelector) for x in objects(sel, OA.start)] if sources else []
            aends = [_integer(x) for sel in objects(a, OA.hasSelector) for x in objects(sel, OA.end)] if astarts else []
            for end, start, astart, aend, c in itertools.product(ends, starts, astarts, aends, sources):
                if aend <= start:
                    bad = not _gap(c, aend, start, _GAP_AFTER)
                else:
                    bad = end > astart or not _gap(c, end, astart, _GAP_BEFORE)
                if bad:
                    yield {"this": this}


NATIVE: dict[str, Callable[[Graph, list], Iterator[Solution]]] = {
    _one_line(ORDINAL_UNIQUE): ordinal_unique,
    _one_line(UNIT_HAS_RESPONSIBILITY): unit_has_responsibility,
    _one_line(SPAN_WITHIN_TEXT): span_within_text,
    _one_line(TEXT_MATCHES_SPAN): text_matches_span,
    _one_line(CLAUSE_BESIDE_ANNOTATION): clause_beside_annotation,
}


# ---------------------------------------------------------------- running them as SHACL does

def native_constraints(shapes: Graph) -> list[tuple]:
    """(shape, constraint node, check) for every SPARQL constraint of ``shapes`` a native check implements."""
    out = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        check = NATIVE.get(_one_line(str(shapes.value(constraint, SH.select) or "")))
        if check and not _deactivated(shapes, shape) and not _deactivated(shapes, constraint):
            out.append((shape, constraint, check))
    return sorted(out, key=lambda x: (str(x[0]), str(x[1])))


def _deactivated(shapes: Graph, node) -> bool:
    return any(v.toPython() is True for v in shapes.objects(node, SH.deactivated) if isinstance(v, Literal))


def focus_nodes(shapes: Graph, shape, data: Graph) -> list:
    """The shape's targets (targetNode, targetClass with rdfs:subClassOf* in the data, targetSubjectsOf/ObjectsOf)."""
    nodes = set(shapes.objects(shape, SH.targetNode))
    classes = set(shapes.objects(shape, SH.targetClass))
    if (shape, RDF.type, RDFS.Class) in shapes:  # an implicit class target
        classes.add(shape)
    for cls in classes:
        for sub in data.transitive_subjects(RDFS.subClassOf, cls):
            nodes.update(data.subjects(RDF.type, sub))
    for p in shapes.objects(shape, SH.targetSubjectsOf):
        nodes.update(data.subjects(p, None))
    for p in shapes.objects(shape, SH.targetObjectsOf):
        nodes.update(data.objects(None, p))
    return sorted(nodes, key=lambda n: (isinstance(n, Literal), str(n)))


_VAR = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


def _substitute(message: str, solution: Solution) -> str:
    """{?var} in a message is the variable's value in the solution (as the engine writes it: its lexical form)."""
    return _VAR.sub(lambda x: str(solution[x.group(1)]) if x.group(1) in solution else x.group(0), message)


def add_results(shapes: Graph, shape, constraint, data: Graph, results: Graph, check) -> int:
    """Write the constraint's validation results into ``results`` as a SHACL engine does; return how many are
    violations.  Raises Unsupported (nothing written) when the check leaves this data to the engine."""
    solutions = list(check(data, focus_nodes(shapes, shape, data)))
    severity = shapes.value(shape, SH.severity) or SH.Violation
    messages = list(shapes.objects(constraint, SH.message)) or list(shapes.objects(shape, SH.message))
    seen = set()
    for sol in solutions:
        key = tuple(sorted((k, v) for k, v in sol.items()))
        if key in seen:  # the same solution twice makes one result, as the engine reports it
            continue
        seen.add(key)
        r = BNode()
        results.add((r, RDF.type, SH.ValidationResult))
        results.add((r, SH.focusNode, sol["this"]))
        results.add((r, SH.value, sol.get("value", sol["this"])))
        if isinstance(sol.get("path"), URIRef):
            results.add((r, SH.resultPath, sol["path"]))
        results.add((r, SH.sourceShape, shape))
        results.add((r, SH.sourceConstraint, constraint))
        results.add((r, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
        results.add((r, SH.resultSeverity, severity))
        for m in messages:
            results.add((r, SH.resultMessage, Literal(_substitute(str(m), sol))))
    return len(seen) if severity == SH.Violation else 0
