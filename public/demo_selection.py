"""Demo data of the pre-selection round: a pre-selection jury has scored the current edition's
films, the organizers chose each category's top films on its ranking and announced them, so
that the ranking, the public finalists page and the teachers' "finaliste" / "non retenu" show."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from festival.enums import Role
from festival.models import Edition, User
from judging.domain.assignment import compute_assignments
from judging.domain.juries import add_member, create_jury
from judging.domain.scoring import validate_evaluation
from judging.domain.selection import announce_now, choose_finalists, save_round_settings
from judging.enums import JuryStage
from judging.models import Assignment, Criterion, Evaluation
from judging.models_selection import SelectionRound
from judging.results import EditionResults
from public.demo_people import approved_member

PRESELECTION_JURORS = [
    ("Hélène", "Brun", "helene.brun@filmit.example"),
    ("Thomas", "Lefèvre", "thomas.lefevre@filmit.example"),
]
FINALISTS_PER_CATEGORY = 2


def _score(criterion: Criterion, juror_index: int, film_pk: int) -> Decimal:
    """A reproducible score on the criterion's scale and step, different for each film."""
    span = criterion.max_score - criterion.min_score
    fraction = Decimal((29 * film_pk + 13 * juror_index + 5 * criterion.position) % 9 + 10) / 20
    steps = ((span * fraction) / criterion.step).quantize(Decimal("1"))
    return criterion.min_score + steps * criterion.step


def _preselection_jury(*, edition: Edition, organizer: User, password: str) -> list[User]:
    jurors = [
        approved_member(
            festival=edition.festival,
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            role=Role.JUROR,
        )  # fmt: skip
        for first, last, email in PRESELECTION_JURORS
    ]
    jury = create_jury(
        edition=edition, name="Jury de présélection", categories=edition.categories.all(),
        organizer=organizer, stage=JuryStage.PRESELECTION,
    )  # fmt: skip
    for juror in jurors:
        add_member(jury=jury, juror=juror)
    jury.president = jurors[0]
    jury.save(update_fields=["president"])
    compute_assignments(jury=jury, organizer=organizer)
    return jurors


def _score_everything(*, edition: Edition, jurors: list[User]) -> None:
    criteria = list(Criterion.objects.filter(edition=edition))
    for juror_index, juror in enumerate(jurors):
        assigned = Assignment.objects.filter(juror=juror, active=True).select_related("film")
        for assignment in assigned.order_by("film_id"):
            film = assignment.film
            # What the jurors watched is seeded: the demo may have no video.
            Evaluation.objects.create(
                juror=juror, film=film, watched_ranges=[[0.0, 4.0]], watched_seconds=4.0,
                film_duration=4.0,
            )  # fmt: skip
            validate_evaluation(
                juror=juror,
                film=film,
                values={c.pk: _score(c, juror_index, film.pk) for c in criteria},
                comment="Le métier se voit bien ; le film tient en haleine jusqu'au bout.",
            )


def create_demo_selection(*, edition: Edition, organizer: User, password: str) -> SelectionRound:
    save_round_settings(
        edition=edition,
        enabled=True,
        finalists_per_category=FINALISTS_PER_CATEGORY,
        announce_at=timezone.now() - timedelta(days=1),
        user=organizer,
    )
    jurors = _preselection_jury(edition=edition, organizer=organizer, password=password)
    _score_everything(edition=edition, jurors=jurors)
    # The organizers keep the ranking's suggestion: each category's top films.
    results = EditionResults.load(edition, stage=JuryStage.PRESELECTION)
    top = [
        int(line.film)
        for category in results.categories
        for line in results.category_ranking(category)
        if line.rank is not None and line.rank <= FINALISTS_PER_CATEGORY
    ]
    selection_round = SelectionRound.objects.get(edition=edition)
    choose_finalists(
        selection_round=selection_round, films=edition.films.filter(pk__in=top), user=organizer
    )
    return announce_now(selection_round=selection_round, user=organizer)
