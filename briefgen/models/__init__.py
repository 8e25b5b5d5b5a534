"""Stage 2: the validated brief (Pydantic models) and its cross-reference rules."""
