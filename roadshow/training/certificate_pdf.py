"""The certificate of attendance as a PDF: one A4 landscape page, in Chinese and English.

The certificate is printed in both languages whatever the reader's language, so its words are written
here rather than through the translation catalogue. Chinese is set in reportlab's built-in CID font
STSong-Light (Adobe's Song typeface, which every PDF reader has), so no font file is shipped or embedded.
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import force_locale
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from ..common.site_url import external_url
from ..i18n.formatting import format_date
from .models import Certificate

FONT = "STSong-Light"
ACCENT = HexColor("#0b5394")


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def wrap(text: str, size: float, width: float) -> list[str]:
    """Lines no wider than `width`: Chinese breaks between any two characters, English between words."""
    lines, line = [], ""
    for token in _tokens(text):
        if line and pdfmetrics.stringWidth((line + token).rstrip(), FONT, size) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


def _tokens(text: str) -> list[str]:
    """Words (with their trailing space) for Latin text, single characters for CJK."""
    tokens, word = [], ""
    for ch in text:
        if ord(ch) < 0x2E80:
            word += ch
            if ch == " ":
                tokens.append(word)
                word = ""
        else:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
    return [*tokens, word] if word else tokens


def verification_url(certificate: Certificate) -> str:
    return external_url("certificates.verify", verification_code=certificate.code)


def render(certificate: Certificate) -> bytes:
    font = _font()
    width, height = landscape(A4)
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=(width, height), pageCompression=1)
    pdf.setTitle(f"结业证书 Certificate of Attendance · {certificate.holder_name}")
    pdf.setAuthor(certificate.organiser_name)
    pdf.setStrokeColor(ACCENT)
    pdf.setLineWidth(3)
    pdf.rect(28, 28, width - 56, height - 56)
    pdf.setLineWidth(0.8)
    pdf.rect(38, 38, width - 76, height - 76)

    def centred(text: str, size: float, y: float, colour=None) -> float:
        pdf.setFont(font, size)
        pdf.setFillColor(colour or HexColor("#222222"))
        for line in wrap(text, size, width - 160):
            pdf.drawCentredString(width / 2, y, line)
            y -= size * 1.45
        return y

    with force_locale("zh_CN"):
        issued_zh = format_date(certificate.issued_at, "month_day_year")
    with force_locale("en"):
        issued_en = format_date(certificate.issued_at, "month_day_year")
    course_en = certificate.course_title_en or certificate.course_title
    organiser_en = certificate.organiser_name_en or certificate.organiser_name
    y = centred("结业证书", 34, height - 110, ACCENT)
    y = centred("Certificate of Attendance", 16, y + 6, ACCENT) - 18
    y = centred(certificate.holder_name, 28, y) - 6
    y = centred(f"参加{certificate.organiser_name}举办的「{certificate.course_title}」，"
                f"出席 {certificate.sessions_attended} 场课程（结业要求 {certificate.sessions_required} 场），特发此证。",
                15, y) - 4
    y = centred(f"attended {certificate.sessions_attended} sessions of \u201c{course_en}\u201d "
                f"(completion required {certificate.sessions_required}), run by {organiser_en}.", 12, y) - 14
    y = centred(f"发证日期 {issued_zh} · Issued {issued_en}", 12, y)
    pdf.setFont(font, 10)
    pdf.setFillColor(HexColor("#444444"))
    pdf.drawString(60, 84, f"验证码 Verification code: {certificate.code}")
    pdf.drawString(60, 68, f"验证 Verify at: {verification_url(certificate)}")
    pdf.drawRightString(width - 60, 68, "光谷科创路演中心 · Optics Valley Sci-Tech Roadshow Center")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
