"""The brief as Pydantic models: schema_version 1 of the contract.

Every model forbids unknown keys so a typo is an error, and every field has a
description that feeds the generated JSON Schema (``briefgen schema``).
Cross-references between sections are checked in :mod:`briefgen.validation.references`,
which can report all of them at once with locations.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from briefgen.models.types import (
    CountryCode,
    Date,
    Due,
    LanguageTag,
    Line,
    PartialDate,
    Slug,
    Text,
    WebUrl,
)

DocType = Literal["policy_brief", "briefing_memo", "info_memo", "action_memo"]
Banner = Literal["UNCLASSIFIED", "SENSITIVE BUT UNCLASSIFIED", "CUI"]
Tlp = Literal["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
EventFormat = Literal["bilateral", "trilateral", "multilateral"]
Role = Literal["principal", "host", "counterpart", "delegation", "other"]
PortionMark = Literal["U", "SBU", "CUI"]
Position = Literal["concur", "nonconcur", "info"]
ClearanceStatus = Literal["cleared", "cleared_with_edits", "info", "dissent", "pending"]
CommitmentKind = Literal["new", "reaffirmed"]
CommitmentStatus = Literal["announced", "in_progress", "completed", "stalled", "unknown"]
Estimative = Literal[
    "almost_no_chance",
    "very_unlikely",
    "unlikely",
    "roughly_even_chance",
    "likely",
    "very_likely",
    "almost_certain",
]
Trend = Literal["new", "rising", "stable", "falling"]
SourceType = Literal[
    "news_article", "joint_statement", "press_release", "readout", "transcript", "report"
]
Reliability = Literal["A", "B", "C", "D", "E", "F"]

_CLASSIFIED = ("TOP SECRET", "SECRET", "CONFIDENTIAL")


class BriefModel(BaseModel):
    """Base of every brief model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class SourceRef(BriefModel):
    """A citation of a source, optionally with the verbatim words relied on."""

    id: Slug = Field(description="Id of an entry in `sources`.")
    quote: Line | None = Field(
        None, description="Verbatim words from the source that the claim rests on."
    )
    speaker: Line | None = Field(
        None,
        description="Who said the quoted words: a participant id or a name as published.",
    )


def _ref_from_id(value: Any) -> Any:
    """Let a bare source id stand for ``{id: ...}``, the common case."""
    return {"id": value} if isinstance(value, str) else value


def _tlp_white_renamed(value: Any) -> Any:
    if isinstance(value, str) and value.strip().upper() == "TLP:WHITE":
        raise ValueError("TLP:WHITE was renamed in TLP 2.0: use TLP:CLEAR")
    return value


TlpLabel = Annotated[Tlp, BeforeValidator(_tlp_white_renamed)]

Audience = Annotated[
    list[Slug],
    Field(
        description="Audiences this item is for, e.g. [principal, staff]; none means every "
        "audience. `build --audience NAME` leaves out items tagged only for others."
    ),
]
ItemTlp = Annotated[
    TlpLabel | None,
    Field(
        description="Traffic Light Protocol label of this item when stricter than the "
        "brief's; the output carries the strictest label among the items it keeps."
    ),
]

Assessment = Annotated[
    bool,
    Field(
        description="The analyst's own judgement: needs no source and is shown as an "
        "assessment in the outputs."
    ),
]
Classification = Annotated[
    PortionMark | None,
    Field(
        description="Portion mark of this item (U, SBU or CUI); the banner must be at least "
        "the highest one. Printed when meta.marking.portion_marks is true."
    ),
]
Priority = Annotated[
    int | None,
    Field(
        ge=1,
        le=9,
        description="1 (keep first) to 9 (drop first): the order in which a page-limited "
        "layout leaves items out; items without one are dropped after those with 5-9.",
    ),
]

Ref = Annotated[
    SourceRef,
    BeforeValidator(_ref_from_id, json_schema_input_type=Slug | SourceRef),
]
Refs = Annotated[
    list[Ref],
    Field(description="Sources this rests on: source ids, or {id, quote} with verbatim words."),
]


class Location(BriefModel):
    """Where an event takes place."""

    city: Line = Field(description="City name, e.g. Seoul.")
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 country code, e.g. KR.")


class Event(BriefModel):
    """The meeting or event the brief is about."""

    name: Line = Field(description="Name of the meeting or event.")
    start: Date = Field(description="First day of the event (YYYY-MM-DD).")
    end: Date | None = Field(None, description="Last day, when it spans several days.")
    location: Location | None = Field(None, description="Where it takes place.")
    format: EventFormat | None = Field(None, description="bilateral, trilateral or multilateral.")


class CuiDesignation(BriefModel):
    """The CUI designation indicator block: who controls the information and how it spreads."""

    controlled_by: list[Line] = Field(
        min_length=1,
        description="The designating agency, then the office if known, e.g. "
        "[Department of State, EAP/J].",
    )
    categories: list[Line] = Field(
        min_length=1, description="CUI categories from the CUI Registry, e.g. [PRVCY]."
    )
    dissemination: list[Line] = Field(
        default_factory=list,
        description="Limited dissemination controls, e.g. [NOFORN, FEDCON]; they join the "
        "banner line (CUI//NOFORN).",
    )
    poc: Line = Field(description="Point of contact: name and phone or email.")


class Marking(BriefModel):
    """Handling markings printed top and bottom of every page."""

    banner: Banner = Field(
        "UNCLASSIFIED",
        description="Banner line. Classified markings are refused: briefgen is for "
        "unclassified material only.",
    )
    tlp: TlpLabel | None = Field(None, description="Traffic Light Protocol 2.0 label, if any.")
    caveats: list[Line] = Field(
        default_factory=list, description="Extra handling words, joined to the banner with //."
    )
    portion_marks: bool = Field(
        False,
        description="Prefix each paragraph, list item and table row with its portion mark "
        "((U), (SBU), (CUI)): the item's `classification`, or the banner's when it has none.",
    )
    cui: CuiDesignation | None = Field(
        None,
        description="The CUI designation indicator (32 CFR 2002.20) printed on the first "
        "page of a CUI brief.",
    )

    @field_validator("banner", mode="before")
    @classmethod
    def _refuse_classified(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().upper().startswith(_CLASSIFIED):
            raise ValueError(
                f"{value!r} is a classified marking; briefgen only handles UNCLASSIFIED, "
                "SENSITIVE BUT UNCLASSIFIED and CUI material"
            )
        return value


class MemoHeading(BriefModel):
    """The TO/THROUGH/FROM/SUBJECT lines of a memo."""

    model_config = ConfigDict(populate_by_name=True)

    to: Line = Field(description="The principal the memo goes to, e.g. The Secretary.")
    through: list[Line] = Field(
        default_factory=list, description="Offices it passes through, in order."
    )
    from_: Line = Field(alias="from", description="Sender: office and title.")
    subject: Line | None = Field(None, description="Subject line; defaults to meta.title.")


class Author(BriefModel):
    """One author in the byline of a public policy brief."""

    name: Line = Field(description="Name as it should be printed.")
    affiliation: Line | None = Field(None, description="Institution or office.")
    email: Line | None = Field(None, description="Contact address.")


class Meta(BriefModel):
    """What the brief is, when and for whom."""

    title: Line = Field(description="Title of the brief.")
    subtitle: Line | None = Field(None, description="Optional subtitle.")
    doc_type: DocType = Field("briefing_memo", description="Kind of document.")
    date: Date = Field(description="Date of the brief (YYYY-MM-DD).")
    event: Event | None = Field(None, description="The meeting the brief is about.")
    prepared_for: Line | None = Field(None, description="The principal the brief is for.")
    prepared_by: Line | None = Field(None, description="Author or drafting office.")
    organization: Line | None = Field(None, description="Issuing organization.")
    version: Line | None = Field(None, description='Version label, quoted, e.g. "1.0".')
    marking: Marking = Field(default_factory=Marking, description="Handling markings.")
    lang: LanguageTag = Field(
        "en-US", description="Document language with its region (BCP-47), e.g. en-GB."
    )
    memo: MemoHeading | None = Field(
        None, description="Memo heading (TO/THROUGH/FROM/SUBJECT), printed by memo layouts."
    )
    authors: list[Author] = Field(
        default_factory=list, description="Byline of a public policy brief."
    )
    abstract: Text | None = Field(
        None, description="The public summary paragraph of a policy brief."
    )


class KeyPoint(BriefModel):
    """One key point of the bottom-line-up-front summary."""

    text: Line = Field(description="The point, one or two sentences; inline markup allowed.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    assessment: Assessment = False
    classification: Classification = None
    priority: Priority = None


class TimelineEntry(BriefModel):
    """A dated event in the background timeline."""

    date: PartialDate = Field(
        description="When it happened: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known."
    )
    event: Line = Field(description="What happened.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    assessment: Assessment = False
    classification: Classification = None


class Context(BriefModel):
    """Background prose and a timeline."""

    background: Text = Field(
        "",
        description="Paragraphs separated by blank lines; inline **bold**, *italic* and "
        "[text](https://...) only.",
    )
    timeline: list[TimelineEntry] = Field(default_factory=list, description="Dated events.")


class Participant(BriefModel):
    """A person taking part in the meeting."""

    id: Slug = Field(description="Unique id, e.g. kim-hong-kyun.")
    name: Line = Field(description="Name as published.")
    native_name: Line | None = Field(None, description="Name in its own script, e.g. 김홍균.")
    lang: LanguageTag | None = Field(None, description="BCP-47 language of native_name, e.g. ko.")
    title: Line = Field(description="Official title.")
    organization: Line | None = Field(None, description="Ministry, department or agency.")
    country: CountryCode = Field(description="ISO 3166-1 alpha-2 code of their country.")
    role: Role = Field("principal", description="Role in the meeting.")
    bio: Text | None = Field(None, description="Short biography.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    classification: Classification = None
    priority: Priority = None


class AgendaItem(BriefModel):
    """A topic on the agenda with what to achieve and what to say."""

    id: Slug = Field(description="Unique id.")
    title: Line = Field(description="Topic.")
    objective: Text | None = Field(None, description="What the principal should achieve.")
    discussion: Text | None = Field(None, description="Background to the discussion.")
    points: list[Line] = Field(default_factory=list, description="Points to note.")
    talking_points: list[Line] = Field(default_factory=list, description="What to say.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    classification: Classification = None
    priority: Priority = None


class Commitment(BriefModel):
    """Something the parties committed to, new or reaffirmed."""

    id: Slug = Field(description="Unique id.")
    text: Line = Field(description="The commitment.")
    parties: list[Line] = Field(
        min_length=1,
        description="Participant ids, organization ids or ISO country codes of those committed.",
    )
    kind: CommitmentKind = Field("new", description="new or reaffirmed.")
    due: Due | None = Field(
        None, description='A date (YYYY-MM-DD) or a milestone such as "next trilateral summit".'
    )
    status: CommitmentStatus = Field("announced", description="Where it stands.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    assessment: Assessment = False
    classification: Classification = None
    priority: Priority = None


class Risk(BriefModel):
    """A risk with likelihood and impact on 1-5 scales."""

    id: Slug = Field(description="Unique id.")
    title: Line = Field(description="Short name of the risk.")
    description: Text | None = Field(None, description="What could happen and why.")
    likelihood: int = Field(ge=1, le=5, description="1 (rare) to 5 (almost certain).")
    impact: int = Field(ge=1, le=5, description="1 (minimal) to 5 (severe).")
    estimative: Estimative | None = Field(None, description="ICD 203 estimative term.")
    trend: Trend | None = Field(None, description="new, rising, stable or falling.")
    mitigation: Text | None = Field(None, description="What reduces the risk.")
    indicators: list[Line] = Field(default_factory=list, description="Signs to watch for.")
    owner: Line | None = Field(None, description="Who watches this risk.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    assessment: Assessment = False
    classification: Classification = None
    priority: Priority = None

    @property
    def score(self) -> int:
        """Likelihood times impact, 1 to 25; computed, never written by hand."""
        return self.likelihood * self.impact


class DecisionRecommendation(BriefModel):
    """One recommendation the principal approves or not, with its options."""

    id: Slug = Field(description="Unique id.")
    text: Line = Field(description='"That you approve ...": one recommendation.')
    options: list[Annotated[Line, Field(pattern=r"^\S+$")]] = Field(
        default_factory=lambda: ["Approve", "Disapprove"],
        min_length=1,
        max_length=4,
        description="Options the principal initials, one word each; default Approve, Disapprove.",
    )
    sources: Refs = Field(default_factory=list)
    assessment: Assessment = False
    classification: Classification = None


class OfficePosition(BriefModel):
    """Where an office stands on the decision (split memos)."""

    office: Line = Field(description="Office symbol or name, e.g. SCA.")
    position: Position = Field(description="concur, nonconcur or info.")
    reason: Text | None = Field(None, description="Why, for a nonconcurrence.")


class Decision(BriefModel):
    """What an action memo asks the principal to decide."""

    due: Date | None = Field(None, description="Decide by (YYYY-MM-DD).")
    recommendations: list[DecisionRecommendation] = Field(
        min_length=1, description="The recommendations, one decision line each."
    )
    positions: list[OfficePosition] = Field(
        default_factory=list, description="Offices that concur or not."
    )


class Person(BriefModel):
    """Someone who drafted or approved a memo."""

    name: Line = Field(description="Name.")
    office: Line = Field(description="Office symbol, e.g. EAP/J.")
    phone: Line | None = Field(None, description="Phone number.")
    date: Date | None = Field(None, description="When (YYYY-MM-DD).")


class Clearer(BriefModel):
    """One office in the clearance block."""

    office: Line = Field(description="Office symbol.")
    name: Line | None = Field(None, description="Who cleared.")
    status: ClearanceStatus = Field(
        "cleared", description="cleared, cleared_with_edits, info, dissent or pending."
    )


class Clearance(BriefModel):
    """Who drafted, approved and cleared the memo."""

    drafted_by: Person = Field(description="The drafter.")
    approved_by: Person | None = Field(None, description="Who approved it for sending.")
    cleared: list[Clearer] = Field(default_factory=list, description="Clearing offices.")


class Attachment(BriefModel):
    """A tab that travels with the memo."""

    tab: Line = Field(description='Tab label, e.g. "Tab 1".')
    title: Line = Field(description="What it is.")


class Recommendation(BriefModel):
    """A public policy brief's recommendation (never an agenda objective)."""

    id: Slug | None = Field(None, description="Optional unique id.")
    text: Line = Field(description="The recommendation.")
    sources: Refs = Field(default_factory=list)
    assessment: Assessment = False
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None
    classification: Classification = None


class Organization(BriefModel):
    """A grouping or body that can be a commitment party (the Quad, ASEAN, the EU)."""

    id: Slug = Field(description="Unique id that commitment parties use.")
    name: Line = Field(description="Name as printed.")
    members: list[CountryCode] = Field(default_factory=list, description="Member countries.")


class Source(BriefModel):
    """A document the brief draws on."""

    id: Slug = Field(description="Unique id that refs cite.")
    type: SourceType = Field("news_article", description="Kind of source.")
    title: Line = Field(description="Title of the source.")
    publisher: Line | None = Field(None, description="Publisher or issuing body.")
    authors: list[Line] = Field(default_factory=list, description="Authors, as published.")
    published: Date | None = Field(None, description="Publication date (YYYY-MM-DD).")
    url: WebUrl | None = Field(None, description="http or https address.")
    accessed: Date | None = Field(None, description="When the URL was accessed.")
    path: Line | None = Field(
        None, description="Local text of the source, relative to the YAML file."
    )
    reliability: Reliability | None = Field(None, description="Admiralty source reliability A-F.")
    credibility: int | None = Field(None, ge=1, le=6, description="Admiralty credibility 1-6.")


class Brief(BriefModel):
    """A whole policy brief (schema_version 1)."""

    model_config = ConfigDict(title="briefgen brief")

    schema_version: Literal[1] = Field(description="Always 1 for this schema.")
    meta: Meta = Field(description="Title, date, event, authors and markings.")
    summary: list[KeyPoint] = Field(
        min_length=1, max_length=7, description="Key points, bottom line up front: 1 to 7."
    )
    context: Context = Field(default_factory=Context, description="Background and timeline.")
    participants: list[Participant] = Field(
        default_factory=list, description="The people taking part."
    )
    agenda: list[AgendaItem] = Field(default_factory=list, description="Topics in order.")
    commitments: list[Commitment] = Field(
        default_factory=list, description="What the parties committed to."
    )
    risks: list[Risk] = Field(default_factory=list, description="Risks to watch, scored 1-25.")
    sources: list[Source] = Field(
        default_factory=list, description="Documents the brief draws on; refs cite their ids."
    )
    decision: Decision | None = Field(
        None, description="What an action memo asks the principal to decide."
    )
    clearance: Clearance | None = Field(None, description="Drafted, approved and cleared by.")
    attachments: list[Attachment] = Field(
        default_factory=list, description="Tabs that travel with the memo."
    )
    distribution: list[Line] = Field(default_factory=list, description="Who receives it.")
    recommendations: list[Recommendation] = Field(
        default_factory=list, description="A public policy brief's recommendations."
    )
    organizations: list[Organization] = Field(
        default_factory=list, description="Groupings and bodies that can be commitment parties."
    )
