"""Stage 1: YAML text to plain data plus the source position of every key and value."""
