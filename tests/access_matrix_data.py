"""The access-control matrix's cast and data set: two festivals, A and B, each with an edition,
a category, films, a jury judging, a prize and a published palmarès, and the thirteen roles.

Every URL of the matrix is filled from festival A's objects (the film of "the teacher of the
film", its jury, its prize…); festival B's people are the strangers who must get a 404.
Built once per test module (tests/test_access_matrix.py), so it must not depend on the
per-test settings of tests/conftest.py: the caller builds it under its own MEDIA_ROOT.
"""

import base64
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from festival.domain.calls import unsubscribe_token
from festival.enums import ApprovalStatus, ConsentStatus, FilmStatus, Role
from festival.models import (
    CallForEntries,
    CompanyContact,
    Film,
    FilmTransfer,
    Trade,
    VolunteerCompany,
)
from judging.models import Affiliation, JudgingSettings
from judging.models_results import Prize, PrizeKind, PublicVote, ResultsSettings
from media_pipeline import delivery, tus
from media_pipeline.models import VideoStatus
from tests import factories
from tests.festival import palmares
from tests.media_pipeline.versions import make_version

ANONYMOUS = "anonymous"
TEACHER_OF_FILM = "teacher_of_film"
OTHER_TEACHER = "other_teacher"
PENDING_TEACHER = "pending_teacher"
ASSIGNED_JUROR = "assigned_juror"
OTHER_JUROR = "other_juror"
JURY_PRESIDENT = "jury_president"
ORGANIZER = "organizer"
ORGANIZER_B = "organizer_b"
TEACHER_B = "teacher_b"
JUROR_B = "juror_b"
STAFF = "staff"
SUPERUSER = "superuser"

ROLES = (
    ANONYMOUS,
    TEACHER_OF_FILM,
    OTHER_TEACHER,
    PENDING_TEACHER,
    ASSIGNED_JUROR,
    OTHER_JUROR,
    JURY_PRESIDENT,
    ORGANIZER,
    ORGANIZER_B,
    TEACHER_B,
    JUROR_B,
    STAFF,
    SUPERUSER,
)


def make_role_users(festival_a, festival_b) -> dict:
    """One user per role (None for the anonymous visitor).

    Teachers are approved per festival: the teachers of A are members of A only, the teacher
    of B of B only, and the pending teacher waits for A's answer.
    """
    school_a, school_b = factories.make_school(), factories.make_school()
    staff = factories.make_user(
        # An operator's account with every permission but not a superuser, and organizer of no
        # festival: the staff flag and the permissions must open nothing.
        role=Role.ORGANIZER,
        email="operateur@example.org",
        is_staff=True,
    )
    staff.user_permissions.set(Permission.objects.all())
    return {
        ANONYMOUS: None,
        TEACHER_OF_FILM: factories.make_teacher(
            school_a, email="claire.alpha@example.org", festivals=[festival_a]
        ),
        OTHER_TEACHER: factories.make_teacher(
            email="paul.autre@example.org", festivals=[festival_a]
        ),
        PENDING_TEACHER: factories.make_teacher(
            school_a,
            email="nina.attente@example.org",
            approval=ApprovalStatus.PENDING,
            festivals=[festival_a],
        ),
        ASSIGNED_JUROR: factories.make_juror(festival_a, email="jules.jure@example.org"),
        OTHER_JUROR: factories.make_juror(festival_a, email="lina.juree@example.org"),
        JURY_PRESIDENT: factories.make_juror(festival_a, email="marc.president@example.org"),
        ORGANIZER: factories.make_organizer(festival_a, email="sophie.orga@example.org"),
        ORGANIZER_B: factories.make_organizer(festival_b, email="luc.orgb@example.org"),
        TEACHER_B: factories.make_teacher(
            school_b, email="emma.ensb@example.org", festivals=[festival_b]
        ),
        JUROR_B: factories.make_juror(festival_b, email="hugo.jureb@example.org"),
        STAFF: staff,
        SUPERUSER: factories.make_user(
            role=Role.ORGANIZER,
            email="admin@example.org",
            is_staff=True,
            is_superuser=True,
            festival=festival_a,
        ),
    }


@dataclass
class FestivalData:
    """One festival's objects, in the middle of judging with its palmarès published."""

    festival: object
    edition: object = None
    category: object = None
    film: object = None
    public_film: object = None
    consent: object = None
    version: object = None
    jury: object = None
    member: object = None
    assignment: object = None
    evaluation: object = None
    prize: object = None
    publication: object = None
    trade: object = None
    vote: object = None


@dataclass
class MatrixData:
    users: dict
    a: FestivalData
    b: FestivalData
    extra: dict = field(default_factory=dict)

    def user(self, role):
        return self.users[role]

    def secrets_of_a(self) -> list[str]:
        """What only festival A's people may read: its film under judging, its teachers."""
        return [
            self.a.film.title,
            self.users[TEACHER_OF_FILM].email,
            self.users[PENDING_TEACHER].email,
        ]

    def media_token(self, role) -> str:
        """The token a page would sign for this role (the anonymous visitor's is unusable)."""
        user = self.users[role]
        if user is None:
            return "x"
        return delivery.sign(version=self.a.version, user=user)


def _build_festival(
    festival, *, letter, teacher, public_teacher, organizer, president, assigned, others=()
) -> FestivalData:
    data = FestivalData(festival=festival)
    now = timezone.now()
    data.edition = factories.make_edition(
        festival,
        submissions_open_at=now - timedelta(days=40),
        submissions_close_at=now - timedelta(days=10),
        judging_start_at=now - timedelta(days=5),
        judging_end_at=now + timedelta(days=20),
        deliberation_at=now + timedelta(days=25),
        ceremony_at=now + timedelta(days=30),
    )
    data.category = factories.make_category(data.edition)
    criteria = factories.make_default_criteria(data.edition)
    JudgingSettings.objects.create(edition=data.edition)
    # The film every URL works on: accepted, its consents still to check, so not public.
    data.film = factories.make_film(
        teacher=teacher,
        category=data.category,
        status=FilmStatus.ACCEPTED,
        complete=True,
        title=f"Atelier confidentiel {letter}",
    )
    data.consent = data.film.consents.get()
    data.version = make_version(data.film, status=VideoStatus.READY)
    # A prize winner with validated consents: what the public pages show.
    data.public_film = palmares.cleared_film(
        data.category, teacher=public_teacher, title=f"Palme publique {letter}"
    )
    make_version(data.public_film, status=VideoStatus.READY)
    data.jury = factories.make_jury(
        data.edition,
        categories=[data.category],
        president=president,
        members=[assigned, *others],
    )
    data.member = data.jury.members.get(juror=assigned)
    data.assignment = factories.make_assignment(jury=data.jury, juror=assigned, film=data.film)
    data.evaluation = factories.make_evaluation(
        juror=assigned, film=data.film, scores={c: 7 for c in criteria}, watched=1
    )
    Affiliation.objects.create(juror=assigned, company=factories.make_company())
    data.prize = Prize.objects.create(
        edition=data.edition, kind=PrizeKind.CATEGORY_FIRST, category=data.category, name="1er"
    )
    data.publication = palmares.publish(
        data.edition, [palmares.award(data.public_film)], by=organizer
    )
    ResultsSettings.objects.create(
        edition=data.edition,
        public_vote_opens_at=now - timedelta(days=1),
        public_vote_closes_at=now + timedelta(days=10),
    )
    data.vote = PublicVote.objects.create(
        edition=data.edition,
        category=data.category,
        film=data.public_film,
        email="votant@example.org",
        email_key="votant@example.org",
        token=f"vote-{festival.slug}",
    )
    # A trade the festival added and only its films show: its organizers may edit it.
    data.trade = Trade.objects.create(
        name=f"Métier de {festival.name}",
        festival=festival,
        description="Ce que fait ce métier, sur sa page publique.",
    )
    # issue 12 — companies: a contact of the film's company, the festival's volunteer entry
    # for it, and the public film's company agreeing to appear on the public site.
    CompanyContact.objects.create(
        company=data.film.company, name="Contact", email=f"contact@{festival.slug}.example.org"
    )
    VolunteerCompany.objects.create(
        festival=festival, company=data.film.company, contact_name="Contact"
    )
    data.public_film.company.public_agreement_at = now
    data.public_film.company.save()
    return data


def build_matrix_data() -> MatrixData:
    festival_a = factories.make_festival(name="FILM'IT A", slug="filmit-a")
    festival_b = factories.make_festival(name="FILM'IT B", slug="filmit-b")
    users = make_role_users(festival_a, festival_b)
    a = _build_festival(
        festival_a,
        letter="A",
        teacher=users[TEACHER_OF_FILM],
        public_teacher=users[OTHER_TEACHER],
        organizer=users[ORGANIZER],
        president=users[JURY_PRESIDENT],
        assigned=users[ASSIGNED_JUROR],
        others=[users[OTHER_JUROR]],
    )
    # Festival B's jury has one juror, its president, assigned to B's film.
    b = _build_festival(
        festival_b,
        letter="B",
        teacher=users[TEACHER_B],
        public_teacher=users[TEACHER_B],
        organizer=users[ORGANIZER_B],
        president=users[JUROR_B],
        assigned=users[JUROR_B],
    )
    pending = users[PENDING_TEACHER]
    upload = tus.create_upload(
        film_id=a.film.pk,
        user_id=users[TEACHER_OF_FILM].pk,
        length=1000,
        filename="montage.mp4",
        filetype="video/mp4",
    )
    extra = {
        "film_ct": ContentType.objects.get_for_model(Film).pk,
        "pending_uid": urlsafe_base64_encode(force_bytes(pending.pk)),
        "pending_token": default_token_generator.make_token(pending),
        "upload_id": upload.id,
        "tus_metadata": "film " + base64.b64encode(str(a.film.pk).encode()).decode(),
        "public_film_url": reverse("public:film", args=[a.public_film.pk]),
        # issue 12 — outreach: a draft call for entries of festival A, an unsubscribe link.
        "call": CallForEntries.objects.create(
            edition=a.edition,
            subject="Appel à films A",
            body="Inscrivez vos classes.",
            audiences=["past_teachers"],
            created_by=users[ORGANIZER],
        ),
        "unsubscribe_token": unsubscribe_token(festival_id=festival_a.pk, email="cdi@example.org"),
        # --- issue 13: transfer --- festival B's film offered to festival A's edition.
        "transfer": FilmTransfer.objects.create(
            film=b.film, target_edition=a.edition, offered_by=users[ORGANIZER_B]
        ),
        # --- final --- a film of festival A offered to festival B's edition, still waiting:
        # its withdrawal is A's. Not a.film, which B's organizers must not watch.
        "sent_transfer": FilmTransfer.objects.create(
            film=factories.make_film(
                category=a.category, status=FilmStatus.ACCEPTED, title="Lauréat envoyé A"
            ),
            target_edition=b.edition,
            offered_by=users[ORGANIZER],
        ),
    }
    extra |= ceremony_data(a, users[ORGANIZER])
    assert a.consent.status == ConsentStatus.PENDING
    return MatrixData(users=users, a=a, b=b, extra=extra)


# --- issue 13: ceremony ---
def ceremony_data(a, organizer) -> dict:
    """Festival A's ceremony page, open to the public; a guest's invitation (its answer link);
    a palmarès scheduled for the ceremony."""
    from festival.domain.ceremony import open_ceremony, save_ceremony
    from judging.domain.ceremony_invitations import Guest, add_guests
    from judging.models_ceremony import CeremonyInvitation, ScheduledPublication

    ceremony = save_ceremony(
        edition=a.edition,
        organizer=organizer,
        ceremony_at=a.edition.ceremony_at,
        place="Théâtre Ledoux",
        address="Besançon",
    )
    open_ceremony(ceremony=ceremony, organizer=organizer)
    add_guests(
        edition=a.edition, organizer=organizer, guests=[Guest("Invitée A", "invitee@example.org")]
    )
    return {
        "ceremony_invitation": CeremonyInvitation.objects.get(edition=a.edition),
        "scheduled_palmares": ScheduledPublication.objects.create(
            edition=a.edition, publish_at=a.edition.ceremony_at, scheduled_by=organizer
        ),
    }
