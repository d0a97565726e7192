"""Records → RDF.  Every IRI is minted here, from the base IRI, the plan's slug
and readable paths (``…/liupanshui-sti-2021-2023/domain/2/clause/1``), so the same
plan always gives the same graph.  No blank nodes: spans get IRIs of their own."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD

from .records import Mention, PlanRecord, Ref, Span
from .registry import Group, Registry, Unit, fold
from .source import SourceText
from .vocab import LPS, OA, PREFIXES

GROUP_RE = re.compile(r"^各.{1,12}(政府|部门|单位|委员会|管委会)$|各有关|有关部门$|有关单位$")
ROLE = {"unspecified": LPS.unspecified, "lead": LPS.lead, "support": LPS.support}
COMMITMENT = {"stated": LPS.stated, "aspirational": LPS.aspirational}
TOPIC_CLASS = {"material": LPS.Material, "product": LPS.Product, "sector": LPS.Sector, "health": LPS.HealthTopic}
CLASS = {"section": LPS.Section, "principle": LPS.Principle, "objective": LPS.Objective,
         "domain": LPS.Domain, "task": LPS.Task, "measure": LPS.Measure}


def iri_slug(label: str) -> str:
    """A readable IRI path segment: letters, digits and CJK kept, the rest folded to '-'."""
    label = unicodedata.normalize("NFKC", label)
    return re.sub(r"[^\w]+", "-", label).strip("-").lower() or "x"


def decimal_lexical(value) -> str:
    """The canonical xsd:decimal form (always with a point: 105 → "105.0"), so Turtle round-trips it unchanged."""
    text = format(value, "f")
    return text if "." in text else f"{text}.0"


@dataclass(frozen=True)
class Minter:
    base: str
    slug: str
    jurisdiction: str

    @property
    def plan(self) -> URIRef:
        return URIRef(f"{self.base}{self.slug}")

    def __call__(self, *parts: object) -> URIRef:
        return URIRef("/".join([f"{self.base}{self.slug}", *map(str, parts)]))

    def ref(self, ref: Ref) -> URIRef:
        return self(ref.kind, ref.ordinal)

    def org(self, *parts: str) -> URIRef:
        return URIRef("/".join([f"{self.base}org", self.jurisdiction, *parts]))


class _Builder:
    def __init__(self, plan: PlanRecord, source: SourceText, registry: Registry, labels: dict[str, str], base: str,
                 technology_labels: dict[str, str] | None = None):
        self.plan, self.source, self.registry, self.labels = plan, source, registry, labels
        self.technology_labels = technology_labels or {}
        self.m = Minter(base, plan.slug, registry.jurisdiction)
        self.g = Graph()
        for prefix, ns in PREFIXES.items():
            self.g.bind(prefix, ns)
        self.g.bind("id", base)
        self.unregistered: list[str] = []
        self.created: set[URIRef] = set()
        self.names_file = ""
        # one IRI per direction: a label written for two contexts (产品精深加工) gets -2
        self.tech_iris = _unique_iris([t.label for t in plan.technologies], self.m, "technology")
        self.topic_iri = dict(zip([t.label for t in plan.topics], _unique_iris([t.label for t in plan.topics], self.m, "topic"), strict=True))

    # -- helpers ---------------------------------------------------------
    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def zh_en(self, node: URIRef, prop: URIRef, zh: str) -> None:
        self.add(node, prop, Literal(zh, lang="zh"))
        en = self.labels.get(fold(zh))
        if en:
            self.add(node, prop, Literal(en, lang="en"))

    def named(self, node: URIRef, zh: str) -> None:
        """A concept's Chinese label and, when curated, its English one (rdfs:label too, for generic clients)."""
        self.add(node, SKOS.prefLabel, Literal(zh, lang="zh"))
        en = self.technology_labels.get(fold(zh))
        if en:
            self.add(node, SKOS.prefLabel, Literal(en, lang="en"))
            self.add(node, RDFS.label, Literal(en, lang="en"))

    def span(self, node: URIRef, span: Span, name: str = "span", prop: URIRef = PROV.wasDerivedFrom) -> None:
        target = URIRef(f"{node}/{name}")
        selector = URIRef(f"{target}/selector")
        self.add(node, prop, target)
        self.add(target, RDF.type, OA.SpecificResource)
        self.add(target, OA.hasSource, self.m("source"))
        self.add(target, OA.hasSelector, selector)
        self.add(selector, RDF.type, OA.TextPositionSelector)
        self.add(selector, OA.start, Literal(span.start))
        self.add(selector, OA.end, Literal(span.end))

    def text(self, node: URIRef, mention: Mention) -> None:
        self.add(node, LPS.text, Literal(mention.text, lang="zh"))
        self.span(node, mention.span)

    # -- parts -----------------------------------------------------------
    def build(self) -> Graph:
        self.plan_node()
        self.units()
        self.structure()
        self.clauses()
        self.targets()
        self.technologies()
        return self.g

    def plan_node(self) -> None:
        p, plan, m = self.m.plan, self.plan, self.m
        self.add(p, RDF.type, LPS.Plan)
        self.zh_en(p, DCTERMS.title, plan.title.text)
        self.span(p, plan.title.span)
        if plan.period is not None:  # a plan whose text states no year has no period in the graph either
            self.add(p, LPS.periodStart, Literal(str(plan.period[0]), datatype=XSD.gYear))
            self.add(p, LPS.periodEnd, Literal(str(plan.period[1]), datatype=XSD.gYear))
        self.add(p, DCTERMS.source, m("source"))
        for a in plan.addressees:
            self.add(p, LPS.addressee, Literal(a.text, lang="zh"))
        for n in plan.notes:
            self.add(p, LPS.publicationNote, Literal(n.text, lang="zh"))
        if plan.preamble:
            self.add(p, DCTERMS.description, Literal(plan.preamble.text, lang="zh"))
        for issuer in plan.issuers:
            self.add(p, LPS.issuedBy, self.unit_node(issuer.text))
        src = m("source")
        self.add(src, RDF.type, LPS.SourceDocument)
        self.add(src, DCTERMS.identifier, Literal(self.source.name))
        self.add(src, DCTERMS.format, Literal("text/plain; charset=utf-8"))
        self.add(src, LPS.sha256, Literal(self.source.sha256))
        self.add(src, LPS.content, Literal(self.source.text, lang="zh"))
        for annex in plan.annexes:
            node = m("annex", annex.number)
            self.add(p, LPS.annex, node)
            self.add(node, RDF.type, LPS.Annex)
            self.add(node, LPS.ordinal, Literal(annex.number))
            self.add(node, DCTERMS.isPartOf, p)
            self.add(node, RDFS.label, Literal(annex.heading.text, lang="zh"))
            if annex.title:
                self.add(node, DCTERMS.title, Literal(annex.title.text, lang="zh"))
            if annex.subtitle:
                self.add(node, LPS.subtitle, Literal(annex.subtitle.text, lang="zh"))
            self.add(node, LPS.contentMissing, Literal(annex.content_missing))
            if annex.content_missing:
                self.add(node, SKOS.note, Literal("来源文本只有附表标题,表格内容缺失;此处不补造内容。", lang="zh"))
                self.add(node, SKOS.note, Literal("The source text has this annex's title but not its table; nothing is filled in.", lang="en"))
            self.span(node, annex.span)

    def unit_node(self, written: str) -> URIRef:
        entry = self.registry.resolve(written)
        if isinstance(entry, Group):
            return self.m.org("group", entry.id)
        if isinstance(entry, Unit):
            return self.m.org(entry.id)
        name = written
        if self.registry.division is not None:  # 市科技局 in a 滕州市 plan → 滕州市科学技术局
            from .unitnames import canonical

            name = canonical(written, self.registry.division, self.names_file)
        node = self.m.org("unregistered", iri_slug(name))
        if written not in self.unregistered:
            self.unregistered.append(written)
        if node not in self.created:
            self.created.add(node)
            # 各区(县、市)政府, 市级各有关部门 …: a collective, not one organisation; its members are unknown
            self.add(node, RDF.type, LPS.UnitGroup if GROUP_RE.search(written) else ORG.Organization)
            self.add(node, SKOS.prefLabel, Literal(name, lang="zh"))
            self.add(node, ORG.classification, LPS.unknownUnitType)
            self.add(node, LPS.registered, Literal(False))
        if name != written:
            self.add(node, SKOS.altLabel, Literal(written, lang="zh"))
        return node

    def registered(self, node: URIRef, cls: URIRef, entry: Unit | Group) -> None:
        """A registry entry's type, zh/en names, written forms and unit type."""
        self.add(node, RDF.type, cls)
        self.add(node, SKOS.prefLabel, Literal(entry.zh, lang="zh"))
        self.add(node, SKOS.prefLabel, Literal(entry.en, lang="en"))
        for w in entry.written:
            self.add(node, SKOS.altLabel, Literal(w, lang="zh"))
        self.add(node, ORG.classification, LPS[entry.type])
        self.add(node, LPS.registered, Literal(True))

    def units(self) -> None:
        reg, m = self.registry, self.m
        for unit in reg.units.values():
            node = m.org(unit.id)
            self.registered(node, ORG.Organization, unit)
            if unit.parent:
                self.add(node, ORG.subOrganizationOf, m.org(unit.parent))
        for group in reg.groups.values():
            node = m.org("group", group.id)
            self.registered(node, LPS.UnitGroup, group)
            for member in group.members:
                self.add(node, FOAF.member, m.org(member))
        for change in reg.changes:
            node = m.org("change", change.id)
            self.add(node, RDF.type, ORG.ChangeEvent)
            self.add(node, DCTERMS.date, Literal(str(change.year), datatype=XSD.gYear))
            self.add(node, DCTERMS.description, Literal(change.zh, lang="zh"))
            self.add(node, DCTERMS.description, Literal(change.en, lang="en"))
            for uid in change.original:
                self.add(node, ORG.originalOrganization, m.org(uid))
                self.add(m.org(uid), ORG.changedBy, node)
            for uid in change.resulting:
                self.add(node, ORG.resultingOrganization, m.org(uid))
                self.add(m.org(uid), ORG.resultedFrom, node)

    def structure(self) -> None:
        plan, m = self.plan, self.m
        domains_scheme = m("domains")
        self.add(domains_scheme, RDF.type, SKOS.ConceptScheme)
        self.add(domains_scheme, SKOS.prefLabel, Literal(f"{plan.title.text}重点领域", lang="zh"))
        self.add(domains_scheme, DCTERMS.source, m.plan)
        for s in plan.sections:
            node = m("section", s.ordinal)
            self.add(node, RDF.type, LPS.Section)
            self.add(node, LPS.ordinal, Literal(s.ordinal))
            self.add(node, DCTERMS.isPartOf, m.plan)
            self.zh_en(node, DCTERMS.title, s.title.text)
            self.span(node, s.span)
        for para in plan.principles + plan.objectives:
            node = m.ref(para.ref)
            self.add(node, RDF.type, CLASS[para.ref.kind])
            self.add(node, LPS.ordinal, Literal(para.ref.ordinal))
            self.add(node, DCTERMS.isPartOf, m("section", para.section))
            self.zh_en(node, DCTERMS.title, para.headline.text)
            self.text(node, Mention(para.text, Span(para.span.end - len(para.text), para.span.end)))
        for item in plan.items():
            node = m.ref(item.ref)
            self.add(node, RDF.type, CLASS[item.ref.kind])
            self.add(node, LPS.ordinal, Literal(item.ref.ordinal))
            self.add(node, DCTERMS.isPartOf, m("section", item.section))
            self.zh_en(node, DCTERMS.title, item.title.text)
            self.span(node, item.span)
            if item.ref.kind == "domain":
                self.add(node, RDF.type, SKOS.Concept)
                self.zh_en(node, SKOS.prefLabel, item.label)
                self.add(node, SKOS.inScheme, domains_scheme)
                self.add(node, SKOS.topConceptOf, domains_scheme)
                for f in item.focus:
                    self.add(node, LPS.focusDirection, Literal(f.text, lang="zh"))

    def clauses(self) -> None:
        m = self.m
        for clause in self.plan.clauses:
            node = m(clause.container.kind, clause.container.ordinal, "clause", clause.number)
            self.add(node, RDF.type, LPS.Clause)
            self.add(node, DCTERMS.isPartOf, m.ref(clause.container))
            self.add(node, LPS.ordinal, Literal(clause.number))
            self.text(node, clause.text)
            self.span(node, clause.annotation.span, name="annotation", prop=LPS.annotation)
            if clause.deadline:
                self.add(node, LPS.deadline, Literal(str(clause.deadline), datatype=XSD.gYear))
            if clause.inherited_from:
                source = next(c for c in self.plan.clauses if c.key == clause.inherited_from)
                self.add(node, LPS.inheritedFrom, m(source.container.kind, source.container.ordinal, "clause", source.number))
            for position, um in enumerate(clause.units, start=1):
                unit = self.unit_node(um.written)
                self.add(node, LPS.responsibleUnit, unit)
                resp = URIRef(f"{node}/unit/{position}")
                self.add(resp, RDF.type, LPS.Responsibility)
                self.add(resp, LPS.clause, node)
                self.add(resp, LPS.unit, unit)
                self.add(resp, LPS.position, Literal(position))
                self.add(resp, LPS.role, ROLE[um.role])
                self.add(resp, LPS.writtenForm, Literal(um.written, lang="zh"))
                if clause.inherited_from:
                    self.add(resp, LPS.inherited, Literal(True))
                self.span(resp, um.span)

    def targets(self) -> None:
        m = self.m
        for t in self.plan.targets:
            node = m("target", t.number)
            self.add(node, RDF.type, LPS.Target)
            self.add(node, LPS.ordinal, Literal(t.number))
            self.add(node, LPS.indicator, Literal(t.indicator, lang="zh"))
            self.add(node, LPS.targetValue, Literal(decimal_lexical(t.value), datatype=XSD.decimal))
            self.add(node, LPS.unitText, Literal(t.unit))
            self.add(node, LPS.comparator, Literal(t.comparator))
            self.add(node, LPS.commitment, COMMITMENT[t.commitment])
            self.add(node, LPS.deadline, Literal(str(t.deadline), datatype=XSD.gYear))
            if t.growth_of:
                self.add(node, LPS.growthOf, m("target", t.growth_of))
            if t.upper is not None:
                self.add(node, LPS.upperValue, Literal(decimal_lexical(t.upper), datatype=XSD.decimal))
            if t.indicator_type:
                self.add(node, LPS.indicatorType, Literal(t.indicator_type, lang="zh"))
            for note in t.notes:
                self.add(node, SKOS.editorialNote, Literal(note, lang="zh"))
            for i, st in enumerate(t.statements, start=1):
                self.add(node, LPS.statedIn, m.ref(st.where))
                self.span(node, st.mention.span, name=f"statement/{i}")

    def technologies(self) -> None:
        m = self.m
        scheme = m("technologies")
        self.add(scheme, RDF.type, SKOS.ConceptScheme)
        self.add(scheme, SKOS.prefLabel, Literal(f"{self.plan.title.text}技术方向", lang="zh"))
        self.add(scheme, DCTERMS.source, m.plan)
        for tech, node in zip(self.plan.technologies, self.tech_iris, strict=True):
            self.add(node, RDF.type, LPS.Technology)
            self.add(node, RDF.type, SKOS.Concept)
            self.named(node, tech.label)
            for alt in tech.alt_labels:
                self.add(node, SKOS.altLabel, Literal(alt, lang="zh"))
            for topic in dict.fromkeys(t.label for tm in tech.mentions for t in tm.topics):
                self.add(node, LPS.concerns, self.topic_iri[topic])
            self.add(node, SKOS.inScheme, scheme)
            for d in tech.domains:
                self.add(node, SKOS.broader, m("domain", d))
            for i, tm in enumerate(tech.mentions, start=1):
                if tm.clause_key:
                    clause = next(c for c in self.plan.clauses if c.key == tm.clause_key)
                    self.add(node, LPS.mentionedIn, m(clause.container.kind, clause.container.ordinal, "clause", clause.number))
                self.span(node, tm.mention.span, name=f"mention/{i}")
        topics = m("topics")
        self.add(topics, RDF.type, SKOS.ConceptScheme)
        self.add(topics, SKOS.prefLabel, Literal("技术方向所涉对象", lang="zh"))
        self.add(topics, SKOS.prefLabel, Literal("What the technology directions concern", lang="en"))
        self.add(topics, DCTERMS.source, m.plan)
        for topic in self.plan.topics:
            node = self.topic_iri[topic.label]
            self.add(node, RDF.type, TOPIC_CLASS[topic.kind])
            self.add(node, RDF.type, LPS.Topic)
            self.add(node, RDF.type, SKOS.Concept)
            self.named(node, topic.label)
            self.add(node, SKOS.inScheme, topics)
            for i, mention in enumerate(topic.mentions, start=1):
                self.span(node, mention.span, name=f"mention/{i}")
        terms = m("shared-terms")
        self.add(terms, RDF.type, SKOS.ConceptScheme)
        self.add(terms, SKOS.prefLabel, Literal("跨领域术语", lang="zh"))
        self.add(terms, SKOS.prefLabel, Literal("Terms shared across domains", lang="en"))
        for term in self.plan.shared_terms:
            node = m("term", iri_slug(term.label))
            self.add(node, RDF.type, LPS.SharedTerm)
            self.add(node, RDF.type, SKOS.Concept)
            self.named(node, term.label)
            self.add(node, SKOS.inScheme, terms)
            for tech, iri in zip(self.plan.technologies, self.tech_iris, strict=True):
                if tech.label in term.technologies:
                    self.add(node, LPS.termOf, iri)



def _unique_iris(labels: list[str], m: Minter, kind: str) -> list[URIRef]:
    """An IRI for each label, in order (technologies, topics); labels that fold to the same slug,
    or the same label twice, get -2, -3 …"""
    taken: dict[URIRef, str] = {}
    out: list[URIRef] = []
    for label in labels:
        base, n = m(kind, iri_slug(label)), 1
        iri = base
        while iri in taken:
            n += 1
            iri = URIRef(f"{base}-{n}")
        taken[iri] = label
        out.append(iri)
    return out


def plan_graph(plan: PlanRecord, source: SourceText, registry: Registry, labels: dict[str, str], base_iri: str,
               technology_labels: dict[str, str] | None = None, names_file="") -> tuple[Graph, list[str]]:
    """The plan's graph and the unit names it had to create as unregistered.  ``technology_labels``
    are the curated English labels of technology directions, topics and shared terms; ``names_file``:
    the department names that complete an unregistered unit's name in the registry's division."""
    builder = _Builder(plan, source, registry, labels, base_iri, technology_labels)
    builder.names_file = str(names_file)
    return builder.build(), builder.unregistered
