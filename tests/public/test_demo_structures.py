from festival.enums import ApprovalStatus, FilmStatus, Role, StructureKind
from festival.models import School, User
from public import demo, demo_structures


def test_demo_has_a_structure_signed_up_with_its_siret(db):
    demo.load(with_videos=False)

    structure = School.objects.get(kind=StructureKind.E2C, uai__isnull=True)
    structure.full_clean()
    tutor = User.objects.get(email=demo_structures.TUTOR_EMAIL)
    assert (structure.identifier, tutor.school) == (f"SIRET {structure.siret}", structure)
    assert list(tutor.memberships.values_list("festival__slug", "role", "approval")) == [
        ("filmit-franche-comte", Role.TEACHER, ApprovalStatus.APPROVED)
    ]
    assert list(tutor.films.values_list("category__slug", "status", "school")) == [
        ("insertion", FilmStatus.SUBMITTED, structure.pk)
    ]
    assert tutor.check_password(demo.DEMO_PASSWORD)
    # The schools loaded before have their kind too.
    kinds = dict(School.objects.values_list("name", "kind"))
    assert (kinds["Lycée Jules Haag"], kinds["CFA de l'industrie Franche-Comté"]) == (
        StructureKind.LYCEE_GT,
        StructureKind.CFA,
    )
