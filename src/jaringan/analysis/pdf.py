"""A yearly report as a PDF, made in pure Python by fpdf2 (no system libraries): the key figures, the charts
drawn by matplotlib (`charts.chart_png`, the same charts as the page) and the tables of
`report_tables`. Text is set in DejaVu Sans, the font matplotlib ships, embedded so that every character
of both languages prints and the text can be searched and copied."""

from __future__ import annotations

import io
from pathlib import Path

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import report_tables as layout
from .charts import chart_png
from .reports import YearReport

FONT = "DejaVu"
MARGIN = 15


def _fonts() -> dict[str, Path]:
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf"}


def _document(report: YearReport):
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    for style, path in _fonts().items():
        pdf.add_font(FONT, style=style, fname=str(path))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    pdf.set_title(layout.title(report))
    pdf.set_author("Jaringan")
    pdf.set_lang(get_language() or "en")
    made = date_format(timezone.localdate())
    pdf.set_creator("Jaringan")

    def footer():
        pdf.set_y(-10)
        pdf.set_font(FONT, size=7)
        pdf.cell(0, 4, _("%(name)s · made %(day)s · page %(page)s") % {
            "name": layout.title(report), "day": made, "page": pdf.page_no()}, align="C")

    pdf.footer = footer
    return pdf


def _heading(pdf, text: str, size: int = 12) -> None:
    pdf.set_font(FONT, style="B", size=size)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _table(pdf, header: list[str], rows: list[list[str]], widths: list[int] | None = None, size: float = 8) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font(FONT, size=size)
    align = ["LEFT"] + ["RIGHT"] * (len(header) - 1)
    headings = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths or None, text_align=align, line_height=size * 0.5, headings_style=headings,
                   first_row_as_headings=True, repeat_headings=1) as table:
        for line in [header, *rows]:
            row = table.row()
            for cell in line:
                row.cell(cell)
    pdf.ln(3)


def _chart(pdf, figure: layout.Figure) -> None:
    image = chart_png(labels=figure.labels, series=figure.series, unit=figure.unit,
                      horizontal=figure.horizontal, rotate=figure.rotate)
    width = pdf.w - 2 * MARGIN
    pdf.set_font(FONT, style="B", size=9)
    pdf.multi_cell(0, 4.5, figure.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.image(io.BytesIO(image), w=width, alt_text=figure.title)
    pdf.ln(2)


def render(report: YearReport) -> bytes:
    """The report as the bytes of a PDF file."""
    pdf = _document(report)
    pdf.add_page()
    _heading(pdf, layout.title(report), size=15)
    pdf.set_font(FONT, size=9)
    pdf.cell(0, 5, layout.subtitle(report), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _heading(pdf, _("The year in figures"))
    _table(pdf, [_("Figure"), _("Value")], [list(f) for f in layout.facts(report)], widths=[3, 2], size=9)
    figures = layout.figures(report)
    for table in layout.tables(report):
        _heading(pdf, table.title)
        if table.key == "months":
            for figure in figures[:2]:
                _chart(pdf, figure)
        if table.key == "members":
            for figure in figures[2:]:
                _chart(pdf, figure)
        _table(pdf, table.header, table.rows, table.widths, size=7.5 if len(table.header) > 6 else 8)
    return bytes(pdf.output())
