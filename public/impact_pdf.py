"""The impact report as a PDF (fpdf2, like festival.pdf): the table, then the charts drawn with
fpdf's own lines and rectangles from the same geometry as the page's SVG."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from festival.pdf import Document
from public.impact import FIGURES
from public.impact_charts import HEIGHT, WIDTH, Chart, report_charts


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def _table(pdf: Document, rows) -> None:
    labels = [_("Édition"), *[str(label) for _name, label in FIGURES]]
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    first = 16
    width = (usable - first) / (len(labels) - 1)
    pdf.font(5.8, bold=True)
    top = pdf.get_y()
    for index, label in enumerate(labels):
        pdf.set_xy(pdf.l_margin + (0 if index == 0 else first + width * (index - 1)), top)
        pdf.multi_cell(first if index == 0 else width, 3.2, pdf.text_of(label), align="C")
    pdf.set_xy(pdf.l_margin, top + 10)
    pdf.font(8)
    for row in rows:
        pdf.cell(first, 5.5, pdf.text_of(row.label), border="T")
        for name, _label in FIGURES:
            value = formats.number_format(getattr(row, name), force_grouping=True)
            pdf.cell(width, 5.5, pdf.text_of(value), border="T", align="R")
        pdf.ln(5.5)


def _chart(pdf: Document, chart: Chart, x: float, y: float, width: float) -> None:
    scale = width / WIDTH

    def at(px, py):
        return x + px * scale, y + py * scale

    pdf.font(7.5, bold=True)
    pdf.set_xy(x, y - 4.5)
    pdf.cell(width, 4, pdf.text_of(chart.title))
    pdf.font(5.5)
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.1)
    for tick in chart.ticks:
        x1, ty = at(chart.left, tick.y)
        x2, _ty = at(chart.right, tick.y)
        pdf.line(x1, ty, x2, ty)
        pdf.set_xy(x, ty - 1.5)
        pdf.cell(chart.left * scale - 1, 3, pdf.text_of(str(tick.value)), align="R")
    pdf.set_draw_color(0, 0, 0)
    for bar in chart.bars:
        bx, by = at(bar.x, bar.y)
        pdf.set_fill_color(*_rgb("#1d4f91"))
        if bar.height > 0:
            pdf.rect(bx, by, bar.width * scale, bar.height * scale, style="F")
    for line in chart.lines:
        pdf.set_draw_color(*_rgb(line.colour))
        pdf.set_fill_color(*_rgb(line.colour))
        pdf.set_line_width(0.5)
        points = [at(px, py) for px, py, _value in line.points]
        for start, end in zip(points, points[1:], strict=False):
            pdf.line(*start, *end)
        for px, py in points:
            pdf.ellipse(px - 0.7, py - 0.7, 1.4, 1.4, style="F")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    for label_x, label in chart.labels:
        lx, ly = at(label_x, chart.bottom)
        pdf.set_xy(lx - 8, ly + 0.8)
        pdf.cell(16, 3, pdf.text_of(label), align="C")
    if chart.lines:
        legend_x, legend_y = x, y + HEIGHT * scale + 1
        for line in chart.lines:
            pdf.set_fill_color(*_rgb(line.colour))
            pdf.rect(legend_x, legend_y + 0.7, 2.5, 2.5, style="F")
            pdf.set_xy(legend_x + 3, legend_y)
            text = pdf.text_of(line.name)
            pdf.cell(pdf.get_string_width(text) + 2, 4, text)
            legend_x += pdf.get_string_width(text) + 8


def impact_pdf(report) -> bytes:
    title = _("Bilan d'impact — %(name)s") % {"name": report.title}
    pdf = Document(title)
    pdf.heading(title, size=15)
    pdf.paragraph(
        _("Chiffres au %(date)s, par édition. Audience comptée par la plateforme, sans cookie.")
        % {"date": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")},
        size=9,
    )
    pdf.ln(3)
    _table(pdf, report.rows)
    charts = report_charts(report, FIGURES)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    width = (usable - 8) / 2
    height = HEIGHT * width / WIDTH
    top = pdf.get_y()
    for index, chart in enumerate([charts["audience"], *charts["participation"]]):
        if index % 2 == 0:
            if index:
                # The first row has the audience chart's legend under it.
                pdf.set_y(top + height + (6 if index == 2 else 0))
            if pdf.will_page_break(height + 10):
                pdf.add_page()
            top = pdf.get_y() + 9
        x = pdf.l_margin + (index % 2) * (width + 8)
        _chart(pdf, chart, x, top, width)
    if report.festivals:
        _festivals(pdf, report, top + height)
    return bytes(pdf.output())


def _festivals(pdf: Document, report, charts_bottom: float) -> None:
    """After the totals, a section per festival: its editions, the most recent first."""
    pdf.set_y(charts_bottom + 6)
    pdf.heading(_("Par festival"), size=13)
    for impact in report.festivals:
        if pdf.will_page_break(12 + 10 + 5.5 * len(impact.rows)):
            pdf.add_page()
        pdf.heading(impact.festival.name)
        _table(pdf, impact.newest_first)
        pdf.ln(3)
