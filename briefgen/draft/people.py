"""People named with an official title: "Deputy Secretary of State Kurt Campbell",
"Japanese Vice Foreign Minister Masataka Okano", "Kim Hong Kyun of South Korea",
"Antony Blinken, the U.S. Secretary of State".

Mentions are merged across sources and spellings by the set of name parts, so
"Okano Masataka" and "Masataka Okano", or "Kurt M. Campbell" and "Kurt Campbell",
are one person. Only titles of office count: a professor or analyst quoted in a
news story is not a participant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefgen.draft.places import COUNTRY_WORD, country_code

_RANK = (
    r"(?:(?:First|Second|Third|Deputy|Vice|Under|Assistant|Principal|Senior|Acting|Foreign|"
    r"Defense|Defence|Prime|Chief|Special|Permanent|Executive|National|Security|Trade|Finance|"
    r"Treasury|Cabinet|State|Parliamentary|Head|Supreme|General)[\s-]+)*"
)
_OFFICE = (
    r"(?:President|Prime\s+Minister|Premier|Chancellor|Vice[\s-]Minister|Minister|Secretary|"
    r"Ambassador|Envoy|Representative|Director|Adviser|Advisor|Spokesperson|Spokesman|"
    r"Chairman|Chairwoman|Chair|King|Queen|Emperor|Crown\s+Prince|Governor|Senator|"
    r"Commissioner|Coordinator|Administrator|Vice[\s-]President|Leader)"
)
_PORTFOLIO = (
    r"(?:\s+(?:of|for)\s+(?:the\s+)?(?:State|Defense|Defence|Foreign\s+Affairs|"
    r"[A-Z][a-z]+(?:\s+(?:and\s+)?[A-Z][a-z]+){0,3}))?"
)
TITLE = rf"{_RANK}{_OFFICE}{_PORTFOLIO}"
_BODY = (
    r"(?P<org>(?:Ministry|Department|Office|Embassy|Mission|Council|Commission|Agency|"
    r"Bureau|Secretariat|Cabinet)\b(?:\s+(?:of\s+(?:the\s+)?|and\s+|for\s+)?[A-Z][\w\u2019'.-]*)*)"
)
"""A government body named after a person: "of the Ministry of Foreign Affairs"."""
_STOP = (
    r"(?!(?:The|On|In|At|And|Of|For|With|By|To|A|An|This|That|Monday|Tuesday|Wednesday|Thursday|"
    r"Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Seoul|Tokyo|Washington|Beijing|Camp|Summit|Korea|Japan|"
    r"Ministry|Department|Office|House|Minister|Secretary|President)\b)"
)
_PART = rf"{_STOP}(?:[A-Z][a-z]+(?:['\u2019-][A-Za-z][a-z]+)?|[A-Z]\.)"
NAME = rf"{_PART}(?:\s+{_PART}){{1,3}}"
_TITLED = re.compile(
    rf"(?:(?P<country>{COUNTRY_WORD})\s+)?(?P<title>{TITLE})\s+(?P<name>{NAME})(?![\w])"
    rf"(?:\s+of\s+(?P<of_country>{COUNTRY_WORD})(?![\w])|\s+(?:of|at|from)\s+the\s+{_BODY})?"
)
_APPOSITIVE = re.compile(
    rf"(?P<name>{NAME}),\s+(?:the\s+)?(?:(?P<country>{COUNTRY_WORD})\s+)?(?P<title>{TITLE})"
    rf"(?:\s+(?:of|at)\s+(?:the\s+)?(?P<org>[A-Z][\w\u2019'.-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w\u2019'.-]*)*))?"
)
_OF_COUNTRY = re.compile(rf"(?P<name>{NAME})\s+of\s+(?P<country>{COUNTRY_WORD})(?![\w])")
_PLURAL_TITLE = re.compile(rf"\b(?P<title>{_RANK}{_OFFICE})s\b")
_MEETING = re.compile(
    r"\b(?:met|meet|meets|meeting|convene[sd]?|talks|hosted|hosts|host|visit(?:ed|s)?|"
    r"summit|attend(?:ed|s)?|held|spoke|called on|trilateral|bilateral|delegation)\b",
    re.IGNORECASE,
)
_HOSTED = re.compile(r"\.?,?\s+(?:will\s+)?host(?:ed|s)?\b")
_HOSTED_BY = re.compile(r"\bhosted\s+by\s+(?:the\s+)?$")
_INITIAL = re.compile(r"^[A-Z]\.$")


@dataclass(frozen=True, slots=True)
class Mention:
    """One place a person is named, with what the words around the name say."""

    name: str
    title: str | None
    country: str | None
    organization: str | None
    quote: str
    """The words of the mention itself, verbatim: what the participant's citation quotes."""
    at_meeting: bool
    """The sentence is about the meeting (met, convene, talks...), not a comment on it."""
    host: bool = False
    """The words say this person hosted ("X hosted ...", "hosted by X")."""


@dataclass(slots=True)
class Person:
    """Every mention of one person, merged."""

    mentions: list[tuple[str, Mention]] = field(default_factory=list)
    """(source id, mention) in reading order."""

    @property
    def name(self) -> str:
        """The fullest spelling (most parts), the first one met on a tie."""
        return max((m.name for _, m in self.mentions), key=lambda n: len(n.split()))

    @property
    def title(self) -> str | None:
        """The most specific title given (the longest)."""
        titles = [m.title for _, m in self.mentions if m.title]
        return max(titles, key=len) if titles else None

    @property
    def country(self) -> str | None:
        """The first country the text ties this person to."""
        return next((m.country for _, m in self.mentions if m.country), None)

    @property
    def organization(self) -> str | None:
        """The first organisation the text ties this person to."""
        return next((m.organization for _, m in self.mentions if m.organization), None)

    @property
    def host(self) -> bool:
        """Said to host the meeting in at least one mention."""
        return any(m.host for _, m in self.mentions)

    @property
    def at_meeting(self) -> bool:
        """Named in at least one sentence about the meeting."""
        return any(m.at_meeting for _, m in self.mentions)

    @property
    def key(self) -> frozenset[str]:
        """The parts of the fullest name, for matching other spellings."""
        return name_key(self.name)


def name_key(name: str) -> frozenset[str]:
    """Lower-case name parts without initials; hyphens split ("Hong-kyun" = "Hong Kyun")."""
    parts = re.split(r"[\s\-\u2010]+", name)
    return frozenset(
        part.lower().strip("\u2019'") for part in parts if part and not _INITIAL.match(part)
    )


def mentions_in(sentence: str) -> list[Mention]:
    """Every titled person ``sentence`` names."""
    at_meeting = bool(_MEETING.search(sentence))
    titled = list(_TITLED.finditer(sentence))
    found = [_mention(match, at_meeting, _hosts(sentence, match)) for match in titled]
    titles = [match.span("title") for match in titled]
    for match in _APPOSITIVE.finditer(sentence):
        start, end = match.span("title")
        if not any(start < other_end and other_start < end for other_start, other_end in titles):
            found.append(_mention(match, at_meeting, _hosts(sentence, match)))  # else: next one's
    plural = _PLURAL_TITLE.search(sentence)
    for match in _OF_COUNTRY.finditer(sentence):
        if plural and plural.start() < match.start():
            title = " ".join(plural.group("title").split())
            found.append(
                Mention(
                    match.group("name"),
                    title,
                    country_code(match.group("country")),
                    None,
                    match.group(0),
                    at_meeting,
                )
            )
    return found


def _hosts(sentence: str, match: re.Match[str]) -> bool:
    """The person matched is the subject of "hosted" or the agent of "hosted by"."""
    after = _HOSTED.match(sentence, match.end())
    return bool(after) or bool(_HOSTED_BY.search(sentence[: match.start()]))


def _mention(match: re.Match[str], at_meeting: bool, host: bool = False) -> Mention:
    groups = match.groupdict()
    stated = groups.get("country") or groups.get("of_country")
    country = country_code(stated) if stated else None
    return Mention(
        name=" ".join(match.group("name").split()),
        title=" ".join(match.group("title").split()),
        country=country,
        organization=groups.get("org"),
        quote=" ".join(match.group(0).split()),
        at_meeting=at_meeting,
        host=host,
    )


def merge(mentions: list[tuple[str, Mention]]) -> list[Person]:
    """People in order of first mention; spellings whose name parts agree are one person."""
    people: list[Person] = []
    for source_id, mention in mentions:
        key = name_key(mention.name)
        match = next((p for p in people if _same(p.key, key)), None)
        match = match or next((p for p in people if _same_office(p, mention)), None)
        if match is None:
            match = Person()
            people.append(match)
        match.mentions.append((source_id, mention))
    return people


def _same_office(person: Person, mention: Mention) -> bool:
    """A shared name part, no conflicting country and the same office: "President Joe Biden" and
    "President Joseph R. Biden Jr." are one person."""
    if not (person.title and mention.title):
        return False
    if person.country and mention.country and person.country != mention.country:
        return False
    office = person.title.split()[-1] == mention.title.split()[-1]
    shared = {part for part in person.key & name_key(mention.name) if len(part) >= 3}
    return office and bool(shared)


def _same(left: frozenset[str], right: frozenset[str]) -> bool:
    """Equal name parts, or one spelling's parts all in the other's (two parts at least)."""
    if left == right:
        return True
    smaller, larger = sorted((left, right), key=len)
    return len(smaller) >= 2 and smaller <= larger
