"""briefgen: structured YAML policy briefs rendered to PDF and DOCX."""

__version__ = "0.1.0"
