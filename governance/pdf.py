"""PDF documents from HTML templates with WeasyPrint: minutes now, decision documents and reports later.

Every document extends templates/pdf/base.html (A4, margins, running header with the document id, "Sida X av
Y" in the footer, locally installed DejaVu/Liberation fonts). Nothing is fetched from the network: only files
inside the project may be referenced (stylesheets, images), relative to settings.BASE_DIR.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string


def _local_fetcher():
    """WeasyPrint's URL fetcher, restricted to files inside the project: a document never reaches the network
    (no tracking pixels, no web fonts, nothing that can hang a Celery worker)."""
    from weasyprint.urls import URLFetcher

    class LocalFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            if parsed.scheme == "file":
                path = Path(unquote(parsed.path)).resolve()
                if not path.is_relative_to(Path(settings.BASE_DIR).resolve()):
                    raise ValueError(f"Filen ligger utanför projektet: {path}")
            return super().fetch(url, headers)

    return LocalFilesOnly(allowed_protocols={"file", "data"}, allow_redirects=False)


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (extending pdf/base.html) to PDF bytes."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    base_url = Path(settings.BASE_DIR).resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=_local_fetcher()).write_pdf()


# --- plain protocol text → blocks for the PDF ----------------------------------------------------------


@dataclass
class Block:
    """One typographic unit: kind is "paragraph_heading", "heading", "table", "facts", "list" or "text"."""

    kind: str
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


_PARAGRAPH = re.compile(r"^§\s*\d+")
_FACT = re.compile(r"^([^:|]{1,40}):\s+(.+)$")
_BULLET = re.compile(r"^[–\-•]\s+")


def _line_kind(line: str) -> str:
    if " | " in line:
        return "table"
    if _BULLET.match(line):
        return "list"
    if _FACT.match(line):
        return "facts"
    return "text"


def _heading(lines: list[str]) -> bool:
    first = lines[0]
    return (
        len(lines) > 1
        and len(first) <= 80
        and _line_kind(first) == "text"
        and not first.endswith((".", ":", ",", ";"))
    )


_NUMBER = re.compile(r"^[\d\s\u00a0,.−–-]*(kr)?$|^(ja|nej)$")


def _table(lines: list[str]) -> Block:
    """Rows of (cell, css class): columns holding only numbers, amounts or ja/nej are right-aligned."""
    rows = [[cell.strip() for cell in line.split(" | ")] for line in lines]
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    numeric = [
        index > 0 and len(rows) > 1 and all(_NUMBER.match(row[index]) for row in rows[1:])
        for index in range(width)
    ]
    return Block(
        "table", rows=[[(cell, "num" if numeric[i] else "") for i, cell in enumerate(row)] for row in rows]
    )


def text_blocks(text: str) -> list[Block]:
    """Read the convention of generated protocol text (see governance.services.minutes): blank lines
    separate blocks; "§n …" starts a paragraph; "a | b" lines form a table (its first row is the head);
    "Etikett: värde" lines are facts; "– …" lines a list; a short first line above more lines is a heading.
    Anything else is kept as text with its line breaks."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if _PARAGRAPH.match(lines[0]):
            blocks.append(Block("paragraph_heading", lines.pop(0)))
        elif _heading(lines) or (
            len(lines) == 1
            and len(lines[0]) <= 60
            and _line_kind(lines[0]) == "text"
            and not lines[0].endswith(".")
        ):
            blocks.append(Block("heading", lines.pop(0)))
        for kind, run in itertools.groupby(lines, key=_line_kind):
            run = list(run)
            if kind == "table":
                blocks.append(_table(run))
            elif kind == "facts":
                blocks.append(Block("facts", rows=[list(_FACT.match(line).groups()) for line in run]))
            elif kind == "list":
                blocks.append(Block("list", rows=[[_BULLET.sub("", line)] for line in run]))
            else:
                blocks.append(Block("text", "\n".join(run)))
    return blocks
