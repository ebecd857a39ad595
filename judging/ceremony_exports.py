"""The ceremony's lists for the organizers: every invitation as CSV (through the guarded writer)
and the sign-in sheet (PDF) of the people coming, to print for the welcome desk."""

import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from festival.pdf import Document
from festival.spreadsheets import csv_lines
from judging.models_ceremony import Answer, CeremonyInvitation


def csv_header() -> list[str]:
    return [
        pgettext("full name", "Nom"),
        _("Adresse e-mail"),
        _("Organisation ou classe"),
        _("Invité comme"),
        _("Envoi"),
        _("Réponse"),
        _("Personnes"),
        _("Répondu le"),
        _("Message"),
    ]


def csv_rows(invitations):
    for invitation in invitations:
        yield [
            invitation.name,
            invitation.email,
            invitation.organisation,
            ", ".join(invitation.role_labels),
            invitation.get_status_display(),
            invitation.get_answer_display(),
            invitation.people,
            timezone.localtime(invitation.answered_at) if invitation.answered_at else "",
            invitation.note,
        ]


def invitations_csv(invitations):
    """The file's lines, for a streamed response (semicolons and a BOM: Excel in French)."""
    return csv_lines(csv_header(), csv_rows(invitations), delimiter=";", bom=True)


# The sign-in sheet: column widths in mm (A4 portrait, 174 mm between the margins).
COLUMNS = ((54, "name"), (62, "organisation"), (18, "people"), (40, "signature"))
ROW_HEIGHT = 11


def _table_header(pdf: Document) -> None:
    labels = {
        "name": pgettext("full name", "Nom"),
        "organisation": _("Organisation ou classe"),
        "people": _("Personnes"),
        "signature": _("Signature"),
    }
    pdf.font(9, bold=True)
    for width, key in COLUMNS:
        pdf.cell(width, 8, pdf.text_of(labels[key]), border=1, fill=True)
    pdf.ln(8)


def _fit(pdf: Document, text: str, width: float) -> str:
    """The text cut to its column (a sign-in sheet keeps one line per person)."""
    text = pdf.text_of(text)
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "…") > width - 2:
        text = text[:-1]
    return text + ("…" if pdf._unicode else "...")


def name_key(name: str) -> str:
    """Alphabetical order as a reader expects it: "Émilie" between "Denis" and "Fanny"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def sign_in_sheet(edition, invitations) -> bytes:
    """One line per invitation coming, sorted by name, with a blank column to sign; the
    table's header is repeated at the top of every page."""
    coming = sorted(
        (i for i in invitations if i.answer == Answer.YES), key=lambda i: (name_key(i.name), i.pk)
    )
    title = _("Remise des prix — %(edition)s : feuille d'émargement") % {"edition": edition.title}
    pdf = Document(title)
    pdf.set_fill_color(235, 235, 235)
    pdf.heading(title, size=14)
    pdf.paragraph(
        _("%(date)s — %(count)d invitations, %(people)d personnes attendues")
        % {
            "date": timezone.localtime(edition.ceremony_at).strftime("%d/%m/%Y %H:%M"),
            "count": len(coming),
            "people": sum(i.people for i in coming),
        },
        size=9,
    )
    pdf.ln(2)
    _table_header(pdf)
    for invitation in coming:
        if pdf.will_page_break(ROW_HEIGHT):
            pdf.add_page()
            _table_header(pdf)
        pdf.font(9)
        values = {
            "name": invitation.name,
            "organisation": invitation.organisation,
            "people": str(invitation.people),
            "signature": "",
        }
        for width, key in COLUMNS:
            pdf.cell(width, ROW_HEIGHT, _fit(pdf, values[key], width), border=1)
        pdf.ln(ROW_HEIGHT)
    return bytes(pdf.output())


def invitations_for_export(edition):
    return CeremonyInvitation.objects.filter(edition=edition).order_by("name", "pk")
