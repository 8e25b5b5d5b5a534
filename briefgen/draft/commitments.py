"""Sentences that commit someone: "agreed to", "reaffirmed", "pledged", "will", "launched".

A sentence counts when it uses commitment language and does not merely expect or
speculate ("is expected to", "could", "likely"): a preview article's guesses are not
commitments. The kind is "reaffirmed" when the words say so (reaffirmed, reiterated,
renewed, restated), else "new". Words inside quotation marks are someone's speech,
not the sentence's own claim, and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_COMMIT = re.compile(
    r"\b(?:agree[ds]?|reaffirm(?:ed|s|ing)?|reiterat(?:ed|es|ing)|commit(?:s|ted|ment|ments)?|"
    r"pledg(?:ed|es|e)|vow(?:ed|s)?|decided|resolved to|launch(?:ed|es)?|launch of|"
    r"will(?!\s+(?:be|likely|cover|convene|meet|discuss|attend|visit|take place|hold talks)\b)"
    r"|shall|undert(?:ook|ake)|signed|establish(?:ed)?|announced)\b"
)
"""Lower case only: "the Commitment to Consult" names a document, it commits no one."""
_HEDGE = re.compile(
    r"\b(?:expected to|likely|could|may|might|speculat\w*|suggested|reportedly|set to|"
    r"is to|are to|would)\b",
    re.IGNORECASE,
)
_REAFFIRM = re.compile(
    r"\b(?:reaffirm\w*|reiterat\w*|renew\w*|restat\w*|again)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")
"""Quoted speech: a threat quoted in a news story ("... will surely occur") commits no one."""
_DUE = re.compile(
    r"\b(?:by|before|until)\s+(?P<due>(?:the\s+)?(?:next|end of|end-)[^,.;]{3,60}|"
    r"(?:early|mid|late)[- ]\d{4}|\d{4})",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CommitmentCandidate:
    """A sentence that reads like a commitment, with the guesses drawn from it."""

    sentence: str
    kind: str
    due: str | None


def commitment_in(sentence: str) -> CommitmentCandidate | None:
    """The commitment ``sentence`` states, or None when it states none."""
    own_words = _QUOTED.sub("", sentence)
    if not _COMMIT.search(own_words) or _HEDGE.search(own_words):
        return None
    kind = "reaffirmed" if _REAFFIRM.search(sentence) else "new"
    due = _DUE.search(sentence)
    return CommitmentCandidate(sentence, kind, due.group("due").strip() if due else None)
