"""Stage 3: a validated brief to a format-neutral Document, through Jinja2 templates."""
