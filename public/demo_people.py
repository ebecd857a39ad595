"""What the demo's parts all create the same way: an approved member of a festival, and a
consent form with its (tiny) PDF."""

from django.core.files.base import ContentFile

from festival.enums import ApprovalStatus, ConsentStatus
from festival.models import ConsentForm, Festival, Film, Membership, User

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def approved_member(
    *,
    festival: Festival,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    school=None,
) -> User:
    """A new account, member of `festival` in `role`, already approved."""
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=role,
        festival=None if school is not None else festival,
        school=school,
    )
    Membership.objects.create(
        user=user, festival=festival, role=role, approval=ApprovalStatus.APPROVED
    )
    return user


def consent_form(*, film: Film, uploaded_by: User, reviewed_by: User | None, reviewed_at=None):
    """The film's consent form: validated when it has a reviewer, else waiting for one."""
    consent = ConsentForm(
        film=film,
        uploaded_by=uploaded_by,
        original_filename="autorisations-droit-image.pdf",
        content_type="application/pdf",
        status=ConsentStatus.VALIDATED if reviewed_by else ConsentStatus.PENDING,
        reviewed_by=reviewed_by,
        reviewed_at=reviewed_at if reviewed_by else None,
    )
    consent.file.save("consent", ContentFile(MINIMAL_PDF), save=False)
    consent.save()
    return consent
