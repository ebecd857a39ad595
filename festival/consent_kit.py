"""The consent kit: the image-rights consent form, pre-filled for one film.

The form is a document that pupils and their parents sign in France: it is always in French,
whatever the teacher's language, so its wording is not translated.
"""

from django.conf import settings
from django.utils import formats, timezone

from festival.models import Film
from festival.pdf import Document

# How long the festival may show the film once consents are given.
USE_YEARS = 5


def school_identifiers(school) -> str:
    """ "UAI 0250001A" or "SIRET …", whichever the school has (structures outside the national
    education system have a SIRET only)."""
    parts = []
    if getattr(school, "uai", ""):
        parts.append(f"UAI {school.uai}")
    if getattr(school, "siret", ""):
        parts.append(f"SIRET {school.siret}")
    return ", ".join(parts)


def consent_form_filename(film: Film) -> str:
    return f"autorisation-droit-image-film-{film.pk}.pdf"


def consent_form_pdf(film: Film) -> bytes:
    edition = film.edition
    festival = edition.festival
    school = film.school
    teacher = film.teacher
    contact = festival.contact_email or festival.organizing_body or festival.name
    ceremony = formats.date_format(timezone.localtime(edition.ceremony_at), "DATE_FORMAT")
    organizer = festival.organizing_body or festival.name

    pdf = Document(f"Autorisation de droit à l'image — {film.title}")
    pdf.paragraph(f"{festival.name} — {edition.title} ({edition.year})", size=10, align="C")
    pdf.paragraph(
        "Autorisation de droit à l'image et de diffusion", size=17, bold=True, height=9, align="C"
    )
    pdf.paragraph("Un exemplaire par élève qui apparaît ou que l'on entend dans le film.", size=9,
                  align="C")  # fmt: skip

    pdf.heading("Le film")
    pdf.field("Titre", f"« {film.title} »")
    pdf.field("Festival", f"{festival.name}, édition {edition.year} ({edition.title})")
    pdf.field("Catégorie", film.category.name)
    where = ", ".join(filter(None, [school.name, school.town, school_identifiers(school)]))
    pdf.field("Établissement ou structure", where)
    pdf.field("Enseignant ou tuteur", teacher.get_full_name())
    if film.company_id:
        pdf.field("Entreprise partenaire", f"{film.company.name} ({film.company.town})")

    pdf.heading("L'élève")
    pdf.field("Prénom et nom de l'élève")
    pdf.field("Prénom ou pseudonyme affiché au générique")
    pdf.heading("Son représentant légal (si l'élève est mineur)")
    pdf.field("Prénom et nom du parent ou tuteur")
    pdf.field("Qualité (mère, père, tuteur…)")

    pdf.heading("Ce que vous autorisez")
    pdf.paragraph(
        f"J'autorise {organizer}, qui organise le festival {festival.name}, à enregistrer, "
        f"reproduire et diffuser l'image et la voix de l'élève nommé ci-dessus, telles qu'elles "
        f"apparaissent dans le film « {film.title} », gratuitement et pour les usages suivants :"
    )
    pdf.ln(1)
    pdf.bullet("la projection du film pendant le festival et lors de la remise des prix ;")
    pdf.bullet("le visionnage du film par les membres du jury, sur une plateforme non publique ;")
    pdf.bullet(
        f"si le film est primé, sa diffusion dans la galerie publique du site du festival "
        f"({settings.SITE_URL}) et lors d'actions qui font découvrir les métiers de l'industrie."
    )
    pdf.ln(1)
    pdf.paragraph(
        f"Durée : cette autorisation vaut pour {USE_YEARS} ans à compter de la remise des prix "
        f"du {ceremony}. L'élève n'apparaît au générique et sur le site que par son prénom ou "
        "un pseudonyme, jamais par son nom de famille. Aucun usage commercial ni publicitaire."
    )

    pdf.heading("Vos droits")
    pdf.paragraph(
        "Vous pouvez retirer cette autorisation à tout moment, sans avoir à vous justifier, en "
        f"écrivant à {contact}. Le film est alors retiré de la galerie publique et des "
        "diffusions à venir. Vous pouvez aussi demander l'accès à vos données, leur correction "
        "ou leur effacement (règlement général sur la protection des données, RGPD)."
    )
    pdf.paragraph(f"Contact du festival : {contact}", bold=True)

    pdf.ln(2)
    pdf.field("Fait à")
    pdf.field("Le")
    pdf.signature_boxes(
        [
            "Signature de l'élève",
            "Signature du représentant légal, précédée de « Lu et approuvé »",
        ]
    )
    pdf.paragraph(
        f"À rendre à {teacher.get_full_name()} ({school.name}), qui l'envoie au festival avec "
        "le film.",
        size=9,
    )
    return bytes(pdf.output())
