"""Reading reports in: articles from text and HTML files (feeds and datasets come later)."""

from trucewatch.ingest.documents import (
    expand_paths,
    iter_documents,
    parse_document,
    read_document,
    read_stdin,
)

__all__ = ["expand_paths", "iter_documents", "parse_document", "read_document", "read_stdin"]
