"""PDF documents of the festival app, drawn with fpdf2 (the consent kit's form).

DejaVu Sans is used when the system has it (all of French and more), else the PDF core font
in Windows-1252 with the few characters it lacks spelled out, as judging.certificates does.
"""

from pathlib import Path

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIRS = [
    Path(getattr(settings, "PDF_FONT_DIR", "") or "/nonexistent"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/Library/Fonts"),
]
CORE_FALLBACKS = {"\u202f": " ", "\u2009": " ", "\u2011": "-"}


def font_files() -> tuple[Path, Path] | None:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    return None


class Document(FPDF):
    """A portrait A4 document with headings, paragraphs and lines to fill in by hand."""

    def __init__(self, title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(18, 12, 18)
        fonts = font_files()
        if fonts is not None:
            self.add_font("filmit", "", str(fonts[0]))
            self.add_font("filmit", "B", str(fonts[1]))
            self._family, self._unicode = "filmit", True
        else:
            self.core_fonts_encoding = "windows-1252"
            self._family, self._unicode = "helvetica", False
        self.set_title(self.text_of(title))
        self.set_creator("FILM'IT")
        self.add_page()

    def text_of(self, value) -> str:
        text = str(value or "")
        if self._unicode:
            return text
        for char, replacement in CORE_FALLBACKS.items():
            text = text.replace(char, replacement)
        return text.encode("cp1252", "replace").decode("cp1252")

    def font(self, size: float, bold: bool = False):
        self.set_font(self._family, "B" if bold else "", size)

    def paragraph(self, text, *, size: float = 10, bold=False, height: float = 5, align="L"):
        self.font(size, bold)
        self.multi_cell(
            0, height, self.text_of(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, text, size: float = 12):
        self.ln(2)
        self.paragraph(text, size=size, bold=True, height=6.5)

    def bullet(self, text, size: float = 10):
        self.font(size)
        self.cell(6, 5, self.text_of("•" if self._unicode else "-"))
        self.multi_cell(0, 5, self.text_of(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def field(self, label, value=None, size: float = 10):
        """`Label : value`, or the label and a line to write on by hand when no value."""
        self.font(size, bold=True)
        label_text = self.text_of(f"{label} : ")
        width = self.get_string_width(label_text) + 1
        self.cell(width, 6.5, label_text)
        if value:
            self.font(size)
            self.multi_cell(
                0, 6.5, self.text_of(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            return
        y = self.get_y() + 5.5
        self.line(self.get_x(), y, self.w - self.r_margin, y)
        self.ln(7.5)

    def signature_boxes(self, labels: list[str], height: float = 24):
        if self.will_page_break(height + 8):
            self.add_page()
        gap = 6
        width = (self.w - self.l_margin - self.r_margin - gap * (len(labels) - 1)) / len(labels)
        top = self.get_y()
        for index, label in enumerate(labels):
            x = self.l_margin + index * (width + gap)
            self.set_xy(x, top)
            self.font(9, bold=True)
            self.multi_cell(width, 4.5, self.text_of(label), align="L")
            self.rect(x, top + 10, width, height)
        self.set_xy(self.l_margin, top + 10 + height + 4)
