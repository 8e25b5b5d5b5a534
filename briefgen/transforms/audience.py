"""Audience variants: one brief, several readers, each getting only what is meant for them.

Items of the list sections may carry ``audience: [...]`` (untagged items are
for everyone) and a ``tlp:`` label stricter than the brief's.  A variant keeps
the items for one audience, and its marking is the strictest TLP label among
the brief's own and the items it keeps, so a variant never carries a weaker
label than its content, and dropping the one TLP:RED item lowers the label.
"""

from __future__ import annotations

from typing import Any

from briefgen.errors import BriefgenError
from briefgen.models.brief import Brief, Tlp
from briefgen.validation.references import did_you_mean

TLP_ORDER: tuple[Tlp, ...] = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")
"""From the least to the most restrictive (FIRST TLP 2.0)."""

AUDIENCE_SECTIONS = ("summary", "participants", "agenda", "commitments", "risks", "recommendations")
"""Top-level lists whose items may be tagged; the timeline is ``context.timeline``."""


class AudienceError(BriefgenError):
    """An audience name the brief does not use (most likely a typo)."""


def audiences(brief: Brief) -> list[str]:
    """Every audience named by some item, in order of first use."""
    names = (name for item in _items(brief) for name in item.audience)
    return list(dict.fromkeys(names))


def for_audience(brief: Brief, audience: str | None = None) -> Brief:
    """The brief as ``audience`` reads it (all of it when None), marked by what it keeps.

    An audience no item names is refused rather than treated as "everyone":
    a misspelt ``--audience`` must not produce the full brief unnoticed.
    """
    if audience is not None:
        known = audiences(brief)
        if audience not in known:
            raise AudienceError(_unknown_audience(audience, known))
        brief = _keep(brief, audience)
    return _with_strictest_tlp(brief)


def strictest(labels: list[Tlp | None]) -> Tlp | None:
    """The most restrictive TLP label among ``labels`` (None when there is none)."""
    present = [label for label in labels if label is not None]
    return max(present, key=TLP_ORDER.index) if present else None


def _unknown_audience(audience: str, known: list[str]) -> str:
    if not known:
        return f"no item of this brief is tagged with an audience, so there is no {audience!r}"
    return (
        f"no item of this brief is tagged for audience {audience!r}"
        f"{did_you_mean(audience, known)}; its audiences are: {', '.join(known)}"
    )


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
