"""The demo's call for entries: this year's call, sent to last year's teachers, the schools of
the académie and the partner companies, with each recipient's status."""

from datetime import timedelta

from django.utils import timezone

from festival.domain.calls import audit_recipients, create_call, unsubscribe
from festival.models import CallRecipient, CompanyContact, Edition, Festival, School, User
from festival.models_outreach import Audience, CallStatus, RecipientStatus

CONTACTS = [
    # (company index among the festival's films' companies, name, role, address)
    (0, "Sandrine Vuillemin", "Responsable des ressources humaines", "rh@decolletage.example"),
    (1, "Patrick Jeanningros", "Directeur de site", "direction@forges-fc.example"),
    (2, "Aurélie Pourcelot", "Chargée de communication", "communication@microtech.example"),
]

BODY = """Madame, Monsieur,

Le festival FILM'IT revient cette année : vos classes tournent un court métrage de cinq minutes \
dans une entreprise industrielle partenaire et font découvrir ses métiers.

Toutes les structures peuvent participer : collèges, lycées, étudiants, apprentis et jeunes en \
insertion. L'équipe du festival vous aide à trouver une entreprise d'accueil.

Inscrivez votre classe dès maintenant : les films primés sont projetés lors de la remise des prix \
et publiés dans la galerie du festival.

Bien cordialement,
L'équipe FILM'IT Franche-Comté"""


def create_demo_outreach(*, festival: Festival, edition: Edition, organizer: User):
    """Schools' and companies' addresses, one unsubscribed address, and the sent call."""
    schools = School.objects.filter(films__edition__festival=festival, contact_email="").distinct()
    for school in schools:
        school.contact_email = f"ce.{school.uai.lower()}@ac-{school.academie}.fr"
        school.save(update_fields=["contact_email"])
    companies = sorted(
        {film.company for film in edition.films.select_related("company") if film.company_id},
        key=lambda company: company.name,
    )
    for index, name, role, email in CONTACTS:
        if index < len(companies):
            CompanyContact.objects.get_or_create(
                company=companies[index],
                email=email,
                defaults={"name": name, "role": role, "added_by": organizer},
            )
    unsubscribe(festival=festival, email="communication@microtech.example")

    call = create_call(
        edition=edition,
        organizer=organizer,
        subject=f"Appel à films : {edition.title}",
        body=BODY,
        audiences=[audience.value for audience in Audience],
    )
    # Shown as sent some days ago; the demo sends no email.
    sent_at = timezone.now() - timedelta(days=5)
    recipients = audit_recipients(edition=edition, audiences=call.audiences).recipients
    CallRecipient.objects.bulk_create(
        CallRecipient(
            call=call,
            email=recipient.email,
            name=recipient.name[:300],
            audience=recipient.audience,
            language=recipient.language,
            status=RecipientStatus.SENT,
            sent_at=sent_at,
        )
        for recipient in recipients
    )
    call.status = CallStatus.SENT
    call.recipient_count = call.sent_count = len(recipients)
    call.sent_at = sent_at
    call.save()
    return call
