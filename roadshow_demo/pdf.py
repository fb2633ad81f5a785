"""Small, valid, multi-page pitch-deck PDFs for the demo data, written by hand.

Chinese text uses the Adobe-GB1 font STSong-Light with the UniGB-UCS2-H encoding (one of
the standard CJK fonts every PDF viewer resolves without embedding), Latin text uses
Helvetica. No font files are embedded, so a deck is a few kilobytes.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

PAGE_WIDTH = 842  # A4 landscape, like a slide
PAGE_HEIGHT = 595
MARGIN = 56


@dataclass
class DeckPage:
    heading: str
    lines: list[str] = field(default_factory=list)


def _cn(text: str) -> str:
    """A hex string in UCS-2 big-endian for the CJK font (characters outside the BMP dropped)."""
    return "<" + "".join(f"{ord(ch):04X}" for ch in text if ord(ch) <= 0xFFFF) + ">"


def _latin(text: str) -> str:
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    escaped = ascii_text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most width characters (CJK text has no spaces to break at)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        paragraph = paragraph.strip()
        while len(paragraph) > width:
            lines.append(paragraph[:width])
            paragraph = paragraph[width:]
        if paragraph:
            lines.append(paragraph)
    return lines


def _text(font: str, size: int, x: float, y: float, encoded: str) -> str:
    return f"BT /{font} {size} Tf {x:.0f} {y:.0f} Td {encoded} Tj ET\n"


def _page_stream(page: DeckPage, number: int, total: int, footer: str, cover: bool) -> bytes:
    ops = [
        "0.063 0.298 0.561 rg\n",  # deep blue band along the top
        f"0 {PAGE_HEIGHT - 18} {PAGE_WIDTH} 18 re f\n",
        "0.906 0.522 0.157 rg\n",  # orange accent
        f"{MARGIN} {PAGE_HEIGHT - (200 if cover else 112)} 64 4 re f\n",
        "0.13 0.13 0.13 rg\n",
    ]
    if cover:
        ops.append(_text("F2", 34, MARGIN, PAGE_HEIGHT - 180, _cn(page.heading)))
        y = PAGE_HEIGHT - 250
        for line in page.lines:
            ops.append(_text("F2", 18, MARGIN, y, _cn(line)))
            y -= 32
    else:
        ops.append(_text("F2", 26, MARGIN, PAGE_HEIGHT - 96, _cn(page.heading)))
        y = PAGE_HEIGHT - 160
        for line in page.lines:
            ops.append(_text("F2", 16, MARGIN, y, _cn(line)))
            y -= 28
            if y < 80:
                break
    ops.append("0.45 0.45 0.45 rg\n")
    ops.append(_text("F1", 10, MARGIN, 32, _latin(footer)))
    ops.append(_text("F1", 10, PAGE_WIDTH - MARGIN - 40, 32, _latin(f"{number} / {total}")))
    return "".join(ops).encode("ascii")


def build_pdf(pages: list[DeckPage], footer: str = "Optics Valley Sci-Tech Roadshow Center") -> bytes:
    """A PDF with one slide per DeckPage; the first page is laid out as a cover."""
    if not pages:
        raise ValueError("a deck needs at least one page")
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in once the page tree exists
    page_tree = add(b"")
    helvetica = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light"
        b" /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>"
        b" /FontDescriptor %d 0 R /DW 1000 >>" % descriptor
    )
    song = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H"
        b" /DescendantFonts [%d 0 R] >>" % cid_font
    )
    resources = b"<< /Font << /F1 %d 0 R /F2 %d 0 R >> >>" % (helvetica, song)

    kids = []
    for index, page in enumerate(pages, start=1):
        content = zlib.compress(_page_stream(page, index, len(pages), footer, cover=index == 1))
        stream = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Resources %s /Contents %d 0 R >>"
                % (page_tree, PAGE_WIDTH, PAGE_HEIGHT, resources, stream)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % page_tree
    objects[page_tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref_at)
    return bytes(out)
