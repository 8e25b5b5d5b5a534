"""The brief as Pydantic models: schema_version 1 of the contract.

Every model forbids unknown keys so a typo is an error, and every field has a
description that feeds the generated JSON Schema (``briefgen schema``).
Cross-references between sections are checked in :mod:`briefgen.models.references`,
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
    Slug,
    Text,
    WebUrl,
)

DocType = Literal["policy_brief", "briefing_memo", "info_memo", "action_memo"]
Banner = Literal["UNCLASSIFIED", "SENSITIVE BUT UNCLASSIFIED", "CUI"]
Tlp = Literal["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"]
EventFormat = Literal["bilateral", "trilateral", "multilateral"]
Role = Literal["principal", "host", "delegation", "other"]
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

    @field_validator("banner", mode="before")
    @classmethod
    def _refuse_classified(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().upper().startswith(_CLASSIFIED):
            raise ValueError(
                f"{value!r} is a classified marking; briefgen only handles UNCLASSIFIED, "
                "SENSITIVE BUT UNCLASSIFIED and CUI material"
            )
        return value


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


class KeyPoint(BriefModel):
    """One key point of the bottom-line-up-front summary."""

    text: Line = Field(description="The point, one or two sentences; inline markup allowed.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None


class TimelineEntry(BriefModel):
    """A dated event in the background timeline."""

    date: Date = Field(description="When it happened (YYYY-MM-DD).")
    event: Line = Field(description="What happened.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None


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


class Commitment(BriefModel):
    """Something the parties committed to, new or reaffirmed."""

    id: Slug = Field(description="Unique id.")
    text: Line = Field(description="The commitment.")
    parties: list[Line] = Field(
        min_length=1, description="Participant ids or ISO country codes of those committed."
    )
    kind: CommitmentKind = Field("new", description="new or reaffirmed.")
    due: Due | None = Field(
        None, description='A date (YYYY-MM-DD) or a milestone such as "next trilateral summit".'
    )
    status: CommitmentStatus = Field("announced", description="Where it stands.")
    sources: Refs = Field(default_factory=list)
    audience: Audience = Field(default_factory=list)
    tlp: ItemTlp = None


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

    @property
    def score(self) -> int:
        """Likelihood times impact, 1 to 25; computed, never written by hand."""
        return self.likelihood * self.impact


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
