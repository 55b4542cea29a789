"""Reading pages in tests: a basis is rendered with each document and clause linked to the gazette
(gazette/links.py); ``unlinked`` gives the page as a reader sees the text, so assertions can quote a basis whole."""
from __future__ import annotations

import re

CLAUSE_LINK = re.compile(r'<a class="basis-link" href="[^"]*">(.*?)</a>')


def unlinked(html: str) -> str:
    return CLAUSE_LINK.sub(r"\1", html)


def clause_links(html: str) -> list[str]:
    """The gazette URLs a page links its bases to."""
    return re.findall(r'<a class="basis-link" href="([^"]*)">', html)
