"""Audience variants: one brief, several readers, each getting only what is meant for them.

Items of the list sections may carry ``audience: [...]`` (untagged items are
for everyone) and a ``tlp:`` label stricter than the brief's.  A variant keeps
the items for one audience, and its marking is the strictest TLP label among
the brief's own and the items it keeps, so a variant never carries a weaker
label than its content, and dropping the one TLP:RED item lowers the label.

The brief's ``audiences:`` may say more about a variant: the parts it hides
(talking points, agenda objectives, "Prepared for", the drafting and clearance
lines, ...) and its own marking (a press version marked UNCLASSIFIED and
TLP:CLEAR rather than the internal SBU and TLP:AMBER). That marking must still
cover what the variant keeps: an item marked SBU refuses an UNCLASSIFIED press
version, naming the item. ``everyone`` is the variant of the untagged items only.
"""

from __future__ import annotations

from typing import Any

from briefgen.errors import BriefgenError
from briefgen.models.brief import EVERYONE, AudienceSettings, Brief, Tlp
from briefgen.validation.references import BANNER_PORTIONS, PORTION_ORDER, did_you_mean

TLP_ORDER: tuple[Tlp, ...] = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
"""From the least to the most restrictive (FIRST TLP 2.0)."""

AUDIENCE_SECTIONS = ("summary", "participants", "agenda", "commitments", "risks", "recommendations")
"""Top-level lists whose items may be tagged; the timeline is ``context.timeline``."""


class AudienceError(BriefgenError):
    """An audience name the brief does not use (most likely a typo)."""


def audiences(brief: Brief) -> list[str]:
    """Every audience named by some item or by ``audiences:``, in order of first use."""
    names = [name for item in _items(brief) for name in item.audience]
    return list(dict.fromkeys([*names, *brief.audiences]))


def for_audience(brief: Brief, audience: str | None = None) -> Brief:
    """The brief as ``audience`` reads it (all of it when None), marked by what it keeps.

    An audience no item names is refused rather than treated as "everyone":
    a misspelt ``--audience`` must not produce the full brief unnoticed.
    ``everyone`` always exists: the untagged items only.
    """
    if audience is not None:
        known = audiences(brief)
        if audience not in known and audience != EVERYONE:
            raise AudienceError(_unknown_audience(audience, known))
        settings = brief.audiences.get(audience, AudienceSettings())
        brief = _hide(_keep(brief, audience), settings)
        if settings.marking is not None:
            brief = _remarked(brief, audience, settings)
    return _with_strictest_tlp(brief)


def strictest(labels: list[Tlp | None]) -> Tlp | None:
    """The most restrictive TLP label among ``labels`` (None when there is none)."""
    present = [label for label in labels if label is not None]
    return max(present, key=TLP_ORDER.index) if present else None


def _unknown_audience(audience: str, known: list[str]) -> str:
    if not known:
        return (
            f"no item of this brief is tagged with an audience, so there is no {audience!r} "
            f"(--audience {EVERYONE} builds the untagged items only)"
        )
    return (
        f"no item of this brief is tagged for audience {audience!r}"
        f"{did_you_mean(audience, [*known, EVERYONE])}; its audiences are: "
        f"{', '.join([*known, EVERYONE])} ({EVERYONE}: the untagged items only)"
    )


def _hide(brief: Brief, settings: AudienceSettings) -> Brief:
    """Leave out the parts the audience's settings hide."""
    hidden = set(settings.hide)
    meta_update: dict[str, Any] = {
        field: None for field in ("prepared_for", "prepared_by") if field in hidden
    }
    update: dict[str, Any] = {}
    if meta_update:
        update["meta"] = brief.meta.model_copy(update=meta_update)
    agenda_update: dict[str, Any] = {}
    if "talking_points" in hidden:
        agenda_update["talking_points"] = []
    if "objectives" in hidden:
        agenda_update["objective"] = None
    if agenda_update:
        update["agenda"] = [item.model_copy(update=agenda_update) for item in brief.agenda]
    if "bios" in hidden:
        update["participants"] = [p.model_copy(update={"bio": None}) for p in brief.participants]
    if "clearance" in hidden:
        update["clearance"] = None
    if "distribution" in hidden:
        update["distribution"] = []
    return brief.model_copy(update=update) if update else brief


def _remarked(brief: Brief, audience: str, settings: AudienceSettings) -> Brief:
    """The brief under the audience's own marking, refused when that marking is lower
    than an item the variant keeps (it would under-mark that item)."""
    marking = settings.marking
    assert marking is not None
    level = PORTION_ORDER.index(BANNER_PORTIONS[marking.banner])
    for item in _items(brief):
        mark = getattr(item, "classification", None)
        if mark in PORTION_ORDER and PORTION_ORDER.index(mark) > level:
            raise AudienceError(
                f"the {audience!r} version is marked {marking.banner} but keeps "
                f"{_describe(item)}, marked {mark}; tag that item for other audiences or "
                f"raise audiences.{audience}.marking.banner"
            )
    meta = brief.meta.model_copy(update={"marking": marking})
    return brief.model_copy(update={"meta": meta})


def _describe(item: Any) -> str:
    """An item as a reader finds it: its id, else the first words of its text."""
    if getattr(item, "id", None):
        return repr(item.id)
    words = str(getattr(item, "text", None) or getattr(item, "event", "")).split()
    return "\u201c" + " ".join(words[:6]) + ("\u2026" if len(words) > 6 else "") + "\u201d"


def _keep(brief: Brief, audience: str) -> Brief:
    def wanted(item: Any) -> bool:
        return not item.audience or audience in item.audience

    update: dict[str, Any] = {
        section: [item for item in getattr(brief, section) if wanted(item)]
        for section in AUDIENCE_SECTIONS
    }
    timeline = [entry for entry in brief.context.timeline if wanted(entry)]
    update["context"] = brief.context.model_copy(update={"timeline": timeline})
    return brief.model_copy(update=update)


def _with_strictest_tlp(brief: Brief) -> Brief:
    marking = brief.meta.marking
    tlp = strictest([marking.tlp, *(item.tlp for item in _items(brief))])
    if tlp == marking.tlp:
        return brief
    meta = brief.meta.model_copy(update={"marking": marking.model_copy(update={"tlp": tlp})})
    return brief.model_copy(update={"meta": meta})


def _items(brief: Brief) -> list[Any]:
    return [
        *(item for section in AUDIENCE_SECTIONS for item in getattr(brief, section)),
        *brief.context.timeline,
    ]
