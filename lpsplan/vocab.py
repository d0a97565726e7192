"""Namespaces.  ``LPS`` lists every term of ``ontology/lps.ttl``; a typo such as
``LPS.responsibleUnits`` raises at once instead of minting a wrong IRI.
``tests/test_ontology.py`` checks that this list and the ontology file agree."""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SH, SKOS, XSD, DefinedNamespace

LPS_IRI = "https://w3id.org/lpsplan/ontology#"


class LPS(DefinedNamespace):
    """The lpsplan ontology."""

    _NS = Namespace(LPS_IRI)
    _fail = True

    # classes
    Plan: URIRef
    SourceDocument: URIRef
    Section: URIRef
    Principle: URIRef
    Objective: URIRef
    Domain: URIRef
    Technology: URIRef
    SharedTerm: URIRef
    Topic: URIRef
    Material: URIRef
    Product: URIRef
    Sector: URIRef
    HealthTopic: URIRef
    Task: URIRef
    Measure: URIRef
    Clause: URIRef
    Responsibility: URIRef
    Target: URIRef
    UnitGroup: URIRef
    Annex: URIRef
    Role: URIRef
    Commitment: URIRef
    UnitType: URIRef
    Project: URIRef
    Link: URIRef
    Evidence: URIRef
    # plan and structure
    periodStart: URIRef
    periodEnd: URIRef
    issuedBy: URIRef
    addressee: URIRef
    publicationNote: URIRef
    annex: URIRef
    subtitle: URIRef
    contentMissing: URIRef
    ordinal: URIRef
    text: URIRef
    content: URIRef
    sha256: URIRef
    focusDirection: URIRef
    # technologies
    mentionedIn: URIRef
    concerns: URIRef
    termOf: URIRef
    # clauses and responsibilities
    annotation: URIRef
    responsibleUnit: URIRef
    clause: URIRef
    unit: URIRef
    position: URIRef
    role: URIRef
    writtenForm: URIRef
    registered: URIRef
    inheritedFrom: URIRef
    inherited: URIRef
    # targets
    indicator: URIRef
    targetValue: URIRef
    unitText: URIRef
    comparator: URIRef
    commitment: URIRef
    deadline: URIRef
    statedIn: URIRef
    growthOf: URIRef
    upperValue: URIRef
    indicatorType: URIRef
    # observed values (Data Cube)
    observationStructure: URIRef
    observedIndicator: URIRef
    refYear: URIRef
    unitOfMeasure: URIRef
    baseline: URIRef
    quote: URIRef
    retrieved: URIRef
    UnitOfMeasure: URIRef
    symbol: URIRef
    quantityKind: URIRef
    factor: URIRef
    unitsOfMeasure: URIRef
    yuan: URIRef
    tenThousandYuan: URIRef
    hundredMillionYuan: URIRef
    kilowatt: URIRef
    tenThousandKilowatts: URIRef
    tenThousandKilowattHours: URIRef
    hundredMillionKilowattHours: URIRef
    cubicMetre: URIRef
    tenThousandCubicMetres: URIRef
    hundredMillionCubicMetres: URIRef
    tonne: URIRef
    tenThousandTonnes: URIRef
    kilometre: URIRef
    gongli: URIRef
    # linked projects
    project: URIRef
    target: URIRef
    score: URIRef
    rank: URIRef
    method: URIRef
    evidence: URIRef
    phrase: URIRef
    titleStart: URIRef
    titleEnd: URIRef
    # individuals
    unspecified: URIRef
    lead: URIRef
    support: URIRef
    roles: URIRef
    stated: URIRef
    aspirational: URIRef
    commitments: URIRef
    unitTypes: URIRef
    governmentDepartment: URIRef
    partyOrgan: URIRef
    peoplesOrganisation: URIRef
    centralBankBranch: URIRef
    financialRegulator: URIRef
    zoneManagementCommittee: URIRef
    countyLevelGovernment: URIRef
    municipalGovernment: URIRef
    partyCommittee: URIRef
    unknownUnitType: URIRef


ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")

PREFIXES: dict[str, Namespace | str] = {
    "lps": LPS_IRI,
    "dcterms": DCTERMS,
    "eli": ELI,
    "foaf": FOAF,
    "oa": OA,
    "org": ORG,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "sh": SH,
    "skos": SKOS,
    "xsd": XSD,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, for SPARQL strings."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
