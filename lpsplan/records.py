"""Plain records of what the extractor found in a plan.

They carry text and spans only (code-point offsets into the source, end
exclusive) and know nothing of RDF; :mod:`lpsplan.rdf` turns them into a graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Mention:
    """A piece of the source text and where it stands."""

    text: str
    span: Span


@dataclass(frozen=True, order=True)
class Ref:
    """Names a structural node: ``Ref("domain", 2)`` is the plan's second domain."""

    kind: str  # section | principle | objective | domain | task | measure
    ordinal: int

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.ordinal:02d}"


@dataclass
class Section:
    ordinal: int
    title: Mention
    span: Span
    kind: str  # principles | objectives | domains | tasks | measures | other


@dataclass
class Paragraph:
    """A principle or an objective: a ——-led paragraph with a headline."""

    ref: Ref
    section: int
    headline: Mention
    span: Span
    text: str


@dataclass
class Item:
    """A numbered item (一)… of a section: a domain, a task or a measure."""

    ref: Ref
    section: int
    title: Mention
    label: str
    span: Span
    body: Span
    focus: list[Mention] = field(default_factory=list)


@dataclass
class UnitMention:
    written: str
    span: Span
    role: str = "unspecified"  # unspecified | lead | support


@dataclass
class Clause:
    container: Ref
    number: int
    text: Mention
    annotation: Mention
    units: list[UnitMention]
    deadline: int | None = None  # a 完成时限 line under the clause, by year
    indicator_type: str = ""  # 预期性 / 约束性 before the annotation's label
    rider: bool = False  # its units also apply to the following items that name none
    inherited_from: str | None = None  # key of the clause whose rider gave this clause its units

    @property
    def key(self) -> str:
        return f"{self.container.key}-{self.number}"


@dataclass
class TargetStatement:
    where: Ref
    mention: Mention
    comparator: str
    commitment: str  # stated | aspirational


@dataclass
class Target:
    number: int
    indicator: str
    value: Decimal
    unit: str
    comparator: str
    commitment: str
    deadline: int | None
    statements: list[TargetStatement]
    growth_of: int | None = None
    notes: list[str] = field(default_factory=list)
    upper: Decimal | None = None  # the upper end of a range (X—Y个)
    indicator_type: str = ""  # 预期性 / 约束性, from the annotation that states it


@dataclass
class TopicMention:
    """What a technology direction is about, as written: a material or resource (煤矸石, 铝),
    a product, a sector (能源活动) or a health topic (慢性病)."""

    kind: str  # material | product | sector | health
    mention: Mention

    @property
    def label(self) -> str:
        return self.mention.text


@dataclass
class TechnologyMention:
    domain: int
    clause_key: str | None
    mention: Mention  # the source text that states the direction
    parts: tuple[Span, ...] = ()  # the label's pieces when they are not one stretch (风力 + 发电: 风力发电)
    short: Mention | None = None  # the written short form (风力 in 风力、光伏…等非化石能源发电技术)
    topics: list[TopicMention] = field(default_factory=list)
    context: Mention | None = None  # what a list of techniques is for: 盘县火腿腿源猪 of its 储藏技术

    def label_in(self, text: str) -> str:
        return "".join(text[p.start:p.end] for p in self.parts) if self.parts else self.mention.text


@dataclass
class Technology:
    label: str
    mentions: list[TechnologyMention]

    @property
    def domains(self) -> list[int]:
        return sorted({m.domain for m in self.mentions})

    @property
    def alt_labels(self) -> list[str]:
        return list(dict.fromkeys(m.short.text for m in self.mentions if m.short and m.short.text != self.label))


@dataclass
class Topic:
    """A typed concept that directions concern, with every place it is written and the
    directions (by label) that concern it."""

    label: str
    kind: str
    mentions: list[Mention]
    technologies: list[str]


@dataclass
class SharedTerm:
    label: str
    technologies: list[str]


@dataclass
class Annex:
    number: int
    heading: Mention
    title: Mention | None
    subtitle: Mention | None
    span: Span
    content_missing: bool


@dataclass
class Warning:
    message: str
    span: Span | None = None


@dataclass
class PlanRecord:
    slug: str
    title: Mention
    period: tuple[int, int] | None  # None: the text states no year anywhere (none is invented)
    addressees: list[Mention]
    issuers: list[Mention]
    notes: list[Mention]
    preamble: Mention | None
    sections: list[Section]
    principles: list[Paragraph]
    objectives: list[Paragraph]
    domains: list[Item]
    tasks: list[Item]
    measures: list[Item]
    clauses: list[Clause]
    targets: list[Target]
    technologies: list[Technology]
    shared_terms: list[SharedTerm]
    annexes: list[Annex]
    warnings: list[Warning] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    inferred: list = field(default_factory=list)  # extract.metadata.Found: title/period/issue year read from which line

    def items(self) -> list[Item]:
        return self.domains + self.tasks + self.measures
