"""``briefgen draft``: a first brief drawn from source files, for the analyst to review.

:func:`briefgen.draft.assemble.draft_brief` applies the rules (sentences, dates, titled
people, commitment language) and :func:`briefgen.draft.writer.draft_yaml` writes the
result as commented YAML. :func:`write_draft` is what the CLI calls.
"""

from __future__ import annotations

from briefgen.draft.run import DraftResult, write_draft

__all__ = ["DraftResult", "write_draft"]
