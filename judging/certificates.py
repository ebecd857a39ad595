"""PDFs of a published palmarès: the palmarès itself and the winners' certificates (diplômes).

Both are drawn from the frozen snapshot, so that a PDF printed today says what was published.
Only the pupils' first names (Film.crew) come from the film, since the snapshot does not carry
them. Drawn with fpdf2; DejaVu Sans (found by festival.pdf) is used when the system has it,
else the PDF core font with the few characters it lacks spelled out (œ → oe).
"""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

from festival.pdf import font_files as _font_files
from judging.visibility import with_agreed_companies

LATIN1_FALLBACKS = {
    "œ": "oe",
    "Œ": "OE",
    "’": "'",
    "‘": "'",
    "“": '"',
    "”": '"',
    "«": '"',
    "»": '"',
    "–": "-",
    "—": "-",
    "…": "...",
    "\u202f": " ",
    "€": "EUR",
}


class _Document(FPDF):
    def __init__(self, orientation: str):
        super().__init__(orientation=orientation, unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=15)
        fonts = _font_files()
        if fonts is not None:
            self.add_font("filmit", "", str(fonts[0]))
            self.add_font("filmit", "B", str(fonts[1]))
            self._filmit_family, self._filmit_unicode = "filmit", True
        else:
            self._filmit_family, self._filmit_unicode = "helvetica", False

    def text_of(self, value) -> str:
        text = str(value or "")
        if self._filmit_unicode:
            return text
        for char, replacement in LATIN1_FALLBACKS.items():
            text = text.replace(char, replacement)
        return text.encode("latin-1", "replace").decode("latin-1")

    def font(self, size: float, bold: bool = False):
        self.set_font(self._filmit_family, "B" if bold else "", size)

    def line_of(self, text, size: float, *, bold=False, height=None, align="C"):
        self.font(size, bold)
        self.multi_cell(
            0, height or size * 0.5, self.text_of(text), align=align, new_x="LMARGIN", new_y="NEXT"
        )


def _date(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATE_FORMAT")


def _category_label(award: dict) -> str:
    return award["category"] or _("Toutes catégories")


def palmares_pdf(snapshot: dict) -> bytes:
    """The palmarès: every prize with its film, school and company, category by category.

    A company's name (partner or sponsor) is printed only while it agrees to appear."""
    snapshot = with_agreed_companies(snapshot)
    edition = snapshot["edition"]
    pdf = _Document("P")
    pdf.set_title(pdf.text_of(_("Palmarès — %(edition)s") % {"edition": edition["title"]}))
    pdf.add_page()
    pdf.line_of(edition["festival"], 12)
    pdf.line_of(_("Palmarès — %(edition)s") % {"edition": edition["title"]}, 20, bold=True)
    pdf.line_of(_("Publié le %(date)s") % {"date": _date(snapshot["published_at"])}, 10)
    pdf.ln(6)
    current = object()
    for award in snapshot["awards"]:
        if award["category_id"] != current:
            current = award["category_id"]
            pdf.ln(3)
            pdf.line_of(_category_label(award), 15, bold=True, align="L")
            pdf.ln(1)
        pdf.line_of(
            f"{award['prize']} : « {award['film_title']} »", 12, bold=True, align="L", height=6
        )
        if award.get("sponsor"):
            pdf.line_of(
                _("Prix offert par %(sponsor)s") % {"sponsor": award["sponsor"]},
                10,
                align="L",
                height=5,
            )
        where = ", ".join(filter(None, [award["school"], award["town"]]))
        if award["company"]:
            where += " — " + _("avec %(company)s") % {"company": award["company"]}
        pdf.line_of(where, 10, align="L", height=5)
        if award["trades"]:
            pdf.line_of(
                _("Métiers : %(trades)s") % {"trades": ", ".join(award["trades"])},
                9,
                align="L",
                height=5,
            )
        pdf.ln(2)
    return bytes(pdf.output())


def crew_first_names(crew: str) -> list[str]:
    """Pupils as listed by the teacher: first names or pseudonyms, one per line."""
    return [line.strip() for line in (crew or "").splitlines() if line.strip()]


def certificates_pdf(snapshot: dict, *, crews: dict[int, str]) -> bytes:
    """One certificate (diplôme) per award, landscape A4; company names as in `palmares_pdf`."""
    snapshot = with_agreed_companies(snapshot)
    edition = snapshot["edition"]
    pdf = _Document("L")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(pdf.text_of(_("Diplômes — %(edition)s") % {"edition": edition["title"]}))
    for award in snapshot["awards"]:
        pdf.add_page()
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
        pdf.set_y(25)
        pdf.line_of(edition["festival"], 14)
        pdf.line_of(edition["title"], 12)
        pdf.ln(8)
        pdf.line_of(_("Diplôme"), 30, bold=True, height=14)
        pdf.ln(4)
        pdf.line_of(award["prize"], 22, bold=True, height=11)
        pdf.line_of(_category_label(award), 13)
        if award.get("sponsor"):
            pdf.line_of(_("Prix offert par %(sponsor)s") % {"sponsor": award["sponsor"]}, 12)
        pdf.ln(6)
        pdf.line_of(_("décerné au film"), 12)
        pdf.line_of(f"« {award['film_title']} »", 20, bold=True, height=10)
        pdf.line_of(", ".join(filter(None, [award["school"], award["town"]])), 13)
        names = crew_first_names(crews.get(award["film_id"], ""))
        if names:
            pdf.ln(4)
            pdf.line_of(_("réalisé par %(names)s") % {"names": ", ".join(names)}, 12)
        if award["company"]:
            pdf.line_of(_("avec l'entreprise %(company)s") % {"company": award["company"]}, 11)
        pdf.set_y(pdf.h - 35)
        pdf.line_of(_("Le %(date)s") % {"date": _date(snapshot["published_at"])}, 11)
    if not snapshot["awards"]:
        pdf.add_page()
        pdf.line_of(_("Aucun prix dans ce palmarès."), 14)
    return bytes(pdf.output())
