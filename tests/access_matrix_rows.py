"""The expected answer of every URL pattern to every role (tests/test_access_matrix.py).

A row names a pattern, how to fill its URL from festival A's objects, the roles entitled to
it and what everyone else gets. Answers:

- "ok": 200, or redirects (followed) ending on a 200 that never pass by a login page;
- "login": a redirect to the login page; "admin_login": to the admin's login page;
- "redirect:<view name>": a redirect to that page;
- a status code ("404", "403", "405"…) exactly.

A stranger's object is a 404, never a 403 (festival/rules.py). A row with `post=True` is also
posted (empty, in a transaction rolled back) by each role: the roles not entitled get the same
denial as on GET, the entitled ones anything but a denial (a form shown again, a redirect, a
400 or 409 on empty data). A POST-only view answers 405 to a GET, after the check of its first
decorator for the roles that pass it (`gate`).

Superusers are organizers of every festival in the predicates (festival.rules
is_festival_organizer), so they reach the pages guarded by a predicate (`ORG_A`); the pages
behind `organizer_required` want an organizer of a festival and stay a 404 for them.
"""

from dataclasses import dataclass, field

from tests.access_matrix_data import (
    ANONYMOUS,
    ASSIGNED_JUROR,
    JUROR_B,
    JURY_PRESIDENT,
    ORGANIZER,
    ORGANIZER_B,
    OTHER_JUROR,
    OTHER_TEACHER,
    PENDING_TEACHER,
    ROLES,
    SUPERUSER,
    TEACHER_B,
    TEACHER_OF_FILM,
)

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {ANONYMOUS}
TEACHERS = frozenset({TEACHER_OF_FILM, OTHER_TEACHER, TEACHER_B})
JURORS = frozenset({ASSIGNED_JUROR, OTHER_JUROR, JURY_PRESIDENT, JUROR_B})
ORGANIZERS = frozenset({ORGANIZER, ORGANIZER_B})
# Organizers of festival A by the predicates: its organizer and the platform's operators.
ORG_A = frozenset({ORGANIZER, SUPERUSER})
# Who may download and manage the film's files: its teacher and its festival's organizers.
FILM_PEOPLE = frozenset({TEACHER_OF_FILM}) | ORG_A
# Who may watch the film before it is public: the same, and the juror assigned to it.
VIEWERS = FILM_PEOPLE | {ASSIGNED_JUROR}
NOBODY = frozenset()


@dataclass(frozen=True)
class Row:
    key: str
    # URL kwargs: "a.film" is festival A's film's pk, "users.<role>" a user's, "extra.x" a
    # value of the data set, "media_token" the token a page signs for the requesting role;
    # anything else as written.
    kwargs: dict = field(default_factory=dict)
    allowed: frozenset = NOBODY
    denied: str = "404"
    anonymous: str = "login"
    get: str = "ok"  # the entitled roles' answer to a GET ("405" for POST-only views)
    gate: frozenset = NOBODY  # roles past the first check of a POST-only view: 405 on GET
    everyone: str | None = None  # one GET answer for every role (405 before any check)
    post: bool = False
    post_headers: dict = field(default_factory=dict)
    query: str = ""  # "a.public_film_url" style values are filled like kwargs
    overrides: dict = field(default_factory=dict)  # role -> GET answer
    # Roles that may open the page but must not read festival A's secrets on it.
    hides_a_from: frozenset = NOBODY

    def expected_get(self, role: str) -> str:
        if role in self.overrides:
            return self.overrides[role]
        if self.everyone is not None:
            return self.everyone
        if role in self.allowed:
            return self.get
        if self.get == "405" and role in self.gate:
            return "405"
        return self.anonymous if role == ANONYMOUS else self.denied

    def expected_post(self, role: str) -> str:
        if role in self.allowed:
            return "entitled"
        return self.anonymous if role == ANONYMOUS else self.denied


def public(key, **kw):
    return Row(key, allowed=EVERYONE, **kw)


def org(key, *, own_festival=False, **kw):
    """An organizer's page (`organizer_required`). `own_festival`: not about one of festival
    A's objects, so an organizer of B opens it too, on B's data."""
    allowed = ORGANIZERS if own_festival else frozenset({ORGANIZER})
    # The operator (superuser) works on festival A: their organizer pages show it.
    return Row(key, allowed=allowed | {SUPERUSER}, **kw)


def org_post(key, **kw):
    """A POST-only organizer view: `organizer_required` answers first, then the method."""
    return Row(
        key,
        allowed=frozenset({ORGANIZER, SUPERUSER}),
        get="405",
        gate=ORGANIZERS | {SUPERUSER},
        post=True,
        **kw,
    )


def teacher_post(key, **kw):
    return Row(key, allowed=frozenset({TEACHER_OF_FILM}), get="405", gate=TEACHERS, post=True, **kw)


def juror_post(key, **kw):
    return Row(key, allowed=frozenset({ASSIGNED_JUROR}), get="405", gate=JURORS, post=True, **kw)


FILM = {"pk": "a.film"}
EDITION = {"edition_pk": "a.edition"}
JURY = {"pk": "a.jury"}
JUROR_FILM = {"film_pk": "a.film"}
OTHERS_OF_B = frozenset({ORGANIZER_B})
PUBLIC_PALMARES = {"festival": "a.festival.slug", "year": "a.edition.year"}

ROWS = [
    # Django's language switch.
    public("set_language", post=True),
    # Accounts.
    public("festival:login", post=True),
    Row("festival:logout", allowed=EVERYONE, everyone="405", post=True),
    Row(
        "festival:after_login",
        allowed=SIGNED_IN,
        overrides={SUPERUSER: "redirect:festival:organizer_dashboard"},
    ),
    public("festival:signup", post=True),
    public("festival:school_search"),
    public(
        "festival:set_password",
        kwargs={"uidb64": "extra.pending_uid", "token": "extra.pending_token"},
        post=True,
    ),
    public("festival:password_reset", post=True),
    # A teacher's festivals: every teacher account, approved or waiting, for itself.
    Row(
        "festival:teacher_festivals",
        allowed=TEACHERS | {PENDING_TEACHER},
        post=True,
    ),
    # The teachers' pages.
    Row(
        "festival:teacher_dashboard",
        allowed=TEACHERS,
        hides_a_from=frozenset({OTHER_TEACHER, TEACHER_B}),
    ),
    Row("festival:teacher_film_create", allowed=TEACHERS, post=True),
    Row("festival:teacher_film", kwargs=FILM, allowed={TEACHER_OF_FILM}),
    Row("festival:teacher_film_edit", kwargs=FILM, allowed={TEACHER_OF_FILM}, post=True),
    teacher_post("festival:teacher_consent_upload", kwargs=FILM),
    teacher_post(
        "festival:teacher_consent_delete", kwargs={"pk": "a.film", "consent_pk": "a.consent"}
    ),
    Row("festival:teacher_film_submit", kwargs=FILM, allowed={TEACHER_OF_FILM}, post=True),
    Row("festival:teacher_film_submitted", kwargs=FILM, allowed={TEACHER_OF_FILM}),
    teacher_post("festival:teacher_film_withdraw", kwargs=FILM),
    teacher_post("festival:teacher_film_restore", kwargs=FILM),
    teacher_post("teacher_film_video", kwargs=FILM),
    # issue 12 — rules
    Row("festival:teacher_film_rights", kwargs=FILM, allowed={TEACHER_OF_FILM}, post=True),
    Row("festival:teacher_consent_kit", kwargs=FILM, allowed=FILM_PEOPLE),
    Row("festival:teacher_consent_kit_form", kwargs=FILM, allowed=FILM_PEOPLE),
    # The organizers' pages.
    org("festival:organizer_dashboard", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_films", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_films_csv", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_film", kwargs=FILM),
    org("festival:organizer_film_decision", kwargs=FILM, post=True),
    org_post("festival:organizer_film_status", kwargs=FILM),
    org_post("festival:organizer_consent_review", kwargs={"pk": "a.consent"}),
    org("festival:organizer_teachers", own_festival=True, hides_a_from=OTHERS_OF_B),
    org_post("festival:organizer_teacher_decide", kwargs={"pk": "users.pending_teacher"}),
    org("festival:organizer_invite", own_festival=True, post=True),
    # Choosing the festival one works on: an empty choice is sent back with a message.
    Row(
        "festival:organizer_switch_festival",
        allowed=ORGANIZERS | {SUPERUSER},
        get="405",
        gate=ORGANIZERS | {SUPERUSER},
        post=True,
    ),
    org("festival:organizer_festival", own_festival=True, post=True),
    org("festival:organizer_editions", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_edition_create", own_festival=True, post=True),
    org("festival:organizer_edition", kwargs={"pk": "a.edition"}),
    org("festival:organizer_edition_edit", kwargs={"pk": "a.edition"}, post=True),
    org("festival:organizer_edition_prepare_next", kwargs={"pk": "a.edition"}, post=True),
    org("festival:organizer_category_create", kwargs=EDITION, post=True),
    org("festival:organizer_category_edit", kwargs={"pk": "a.category"}, post=True),
    org("festival:organizer_category_delete", kwargs={"pk": "a.category"}, post=True),
    org("festival:organizer_trades", own_festival=True, post=True),
    org("festival:organizer_trade_edit", kwargs={"pk": "a.trade"}, post=True),
    org("festival:organizer_trade_delete", kwargs={"pk": "a.trade"}, post=True),
    # issue 12 — outreach
    org("festival:organizer_calls", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_call_create", own_festival=True, post=True),
    org("festival:organizer_call", kwargs={"pk": "extra.call"}),
    org("festival:organizer_call_edit", kwargs={"pk": "extra.call"}, post=True),
    org("festival:organizer_call_preview", kwargs={"pk": "extra.call"}),
    org_post("festival:organizer_call_test", kwargs={"pk": "extra.call"}),
    org("festival:organizer_call_send", kwargs={"pk": "extra.call"}, post=True),
    org("festival:organizer_call_progress", kwargs={"pk": "extra.call"}),
    org_post("festival:organizer_call_resume", kwargs={"pk": "extra.call"}),
    org_post("festival:organizer_call_retry_failed", kwargs={"pk": "extra.call"}),
    public("festival:call_unsubscribe", kwargs={"token": "extra.unsubscribe_token"}, post=True),
    # issue 12 — companies
    # The film is accepted, no longer editable: its teacher adds and removes no contact.
    teacher_post("festival:teacher_contact_add", kwargs=FILM),
    Row(
        "festival:teacher_contact_delete",
        kwargs={"pk": "a.film", "contact_pk": "a.film.company.contacts.first"},
        get="405",
        gate=TEACHERS,
        post=True,
    ),
    Row(
        "festival:teacher_volunteers",
        allowed=TEACHERS,
        hides_a_from=frozenset({OTHER_TEACHER, TEACHER_B}),
    ),
    org("festival:organizer_companies", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_company", kwargs={"pk": "a.film.company"}),
    org_post("festival:organizer_company_agreement", kwargs={"pk": "a.film.company"}),
    org_post("festival:organizer_company_contact_add", kwargs={"pk": "a.film.company"}),
    org_post(
        "festival:organizer_company_contact_delete",
        kwargs={"pk": "a.film.company", "contact_pk": "a.film.company.contacts.first"},
    ),
    org("festival:organizer_volunteer_create", own_festival=True, post=True),
    org("festival:organizer_volunteer", kwargs={"pk": "a.film.company"}, post=True),
    org_post("festival:organizer_volunteer_delete", kwargs={"pk": "a.film.company"}),
    # Private files.
    Row("festival:file_original_video", kwargs=FILM, allowed=FILM_PEOPLE),
    Row("festival:file_consent", kwargs={"pk": "a.consent"}, allowed=FILM_PEOPLE),
    # Resumable uploads (tus): creating one for festival A's film. Its teacher gets a 409
    # (the film is accepted, no longer editable), its organizers a new upload.
    Row(
        "tus:uploads",
        everyone="405",
        allowed=FILM_PEOPLE,
        anonymous="403",
        post=True,
        post_headers={
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "1000",
            "Upload-Metadata": "extra.tus_metadata",
        },
    ),
    # An upload of the film's teacher: how it ended, for them only.
    Row(
        "tus:upload",
        kwargs={"upload_id": "extra.upload_id"},
        allowed={TEACHER_OF_FILM},
        anonymous="403",
    ),
    # The media pipeline: anyone who may watch the film sees its processing; its teacher and
    # organizers manage its media; only organizers start processing again.
    Row("media_pipeline:status", kwargs=FILM, allowed=VIEWERS, anonymous="404"),
    Row(
        "media_pipeline:poster",
        kwargs=FILM,
        everyone="405",
        allowed=FILM_PEOPLE,
        anonymous="404",
        post=True,
    ),
    Row(
        "media_pipeline:subtitles",
        kwargs=FILM,
        everyone="405",
        allowed=FILM_PEOPLE,
        anonymous="404",
        post=True,
    ),
    Row(
        "media_pipeline:retry",
        kwargs=FILM,
        everyone="405",
        allowed=ORG_A,
        anonymous="404",
        post=True,
    ),
    # A signed media file, with the token signed for the role itself: still refused to
    # whoever may not watch the film.
    Row(
        "media_pipeline:media",
        kwargs={"token": "media_token", "path": "hls/master.m3u8"},
        allowed=VIEWERS,
        denied="403",
        anonymous="403",
    ),
    # Judging: the organizers' pages.
    org("judging:organizer_home", own_festival=True),
    org("judging:organizer_switch_edition", own_festival=True, post=True),
    org("judging:organizer_juries", kwargs=EDITION),
    org_post("judging:organizer_set_up", kwargs=EDITION),
    org("judging:organizer_settings", kwargs=EDITION, post=True),
    org("judging:organizer_criteria", kwargs=EDITION, post=True),
    org("judging:organizer_jury_create", kwargs=EDITION, post=True),
    org_post("judging:organizer_reminders", kwargs=EDITION),
    org("judging:organizer_jury", kwargs=JURY),
    org("judging:organizer_jury_edit", kwargs=JURY, post=True),
    org_post("judging:organizer_member_add", kwargs=JURY),
    org_post("judging:organizer_member_invite", kwargs=JURY),
    org_post("judging:organizer_assignments_compute", kwargs=JURY),
    org_post("judging:organizer_assignment_add", kwargs=JURY),
    org("judging:organizer_progress", kwargs=JURY),
    org_post("judging:organizer_member_trainee", kwargs={"pk": "a.member"}),
    org_post("judging:organizer_member_remove", kwargs={"pk": "a.member"}),
    org_post("judging:organizer_assignment_remove", kwargs={"pk": "a.assignment"}),
    org_post("judging:organizer_evaluation_reopen", kwargs={"pk": "a.evaluation"}),
    org("judging:organizer_juror_affiliations", kwargs={"pk": "users.assigned_juror"}, post=True),
    # Judging: the jurors' pages.
    Row(
        "judging:juror_dashboard",
        allowed=JURORS,
        hides_a_from=frozenset({OTHER_JUROR, JURY_PRESIDENT, JUROR_B}),
    ),
    Row("judging:juror_film", kwargs=JUROR_FILM, allowed={ASSIGNED_JUROR}),
    juror_post("judging:juror_draft", kwargs=JUROR_FILM),
    juror_post("judging:juror_validate", kwargs=JUROR_FILM),
    juror_post("judging:juror_progress", kwargs=JUROR_FILM),
    juror_post("judging:juror_conflict", kwargs=JUROR_FILM),
    # Deliberation: the jury's president and the festival's organizers.
    Row("judging:deliberation", kwargs={"jury_pk": "a.jury"}, allowed=ORG_A | {JURY_PRESIDENT}),
    Row(
        "judging:deliberation_decisions",
        kwargs={"jury_pk": "a.jury"},
        allowed=ORG_A | {JURY_PRESIDENT},
        get="405",
        gate=SIGNED_IN,
        post=True,
    ),
    # Results: prizes, decisions (the category's jury president too), publication.
    org("judging:awards_current", own_festival=True),
    org("judging:awards_home", kwargs=EDITION),
    org("judging:awards_prizes", kwargs=EDITION, post=True),
    org_post("judging:awards_prizes_seed", kwargs=EDITION),
    org("judging:awards_edition", kwargs=EDITION),
    org("judging:awards_preview", kwargs=EDITION),
    org_post("judging:awards_publish", kwargs=EDITION),
    org("judging:awards_publications", kwargs=EDITION),
    org("judging:awards_votes", kwargs=EDITION, post=True),
    Row(
        "judging:awards_category",
        kwargs={"category_pk": "a.category"},
        allowed=ORG_A | {JURY_PRESIDENT},
    ),
    Row(
        "judging:awards_decide",
        kwargs={"prize_pk": "a.prize"},
        allowed=ORG_A | {JURY_PRESIDENT},
        get="405",
        gate=SIGNED_IN,
        post=True,
    ),
    org("judging:awards_publication", kwargs={"pk": "a.publication"}),
    org_post("judging:awards_unpublish", kwargs={"pk": "a.publication"}),
    org("judging:awards_pdf", kwargs={"pk": "a.publication"}),
    org("judging:awards_certificates", kwargs={"pk": "a.publication"}),
    org("judging:results_current", own_festival=True),
    org("judging:results", kwargs=EDITION),
    org_post("judging:results_options", kwargs=EDITION),
    org("judging:results_films", kwargs=EDITION),
    org("judging:results_agreement", kwargs=EDITION),
    org("judging:results_film", kwargs={"edition_pk": "a.edition", "film_pk": "a.film"}),
    org("judging:results_download", kwargs={**EDITION, "filename": "notes.csv"}),
    # The feedback sheet: the festival's organizers, and the film's teacher once published.
    Row("judging:results_feedback", kwargs=JUROR_FILM, allowed=FILM_PEOPLE),
    # The public site: festival A's film under judging is on none of its pages.
    public("public:home", hides_a_from=EVERYONE),
    public("public:archive", hides_a_from=EVERYONE),
    # Each festival's own pages.
    public("public:festival", kwargs={"slug": "a.festival.slug"}, hides_a_from=EVERYONE),
    public("public:festival_archive", kwargs={"slug": "a.festival.slug"}, hides_a_from=EVERYONE),
    public("public:festival_feed", kwargs={"slug": "a.festival.slug"}, hides_a_from=EVERYONE),
    # The load balancers' probe: no data, for everyone.
    public("healthz"),
    public("public:palmares", kwargs=PUBLIC_PALMARES, hides_a_from=EVERYONE),
    public("public:palmares_feed", kwargs=PUBLIC_PALMARES, hides_a_from=EVERYONE),
    public("public:gallery", hides_a_from=EVERYONE),
    public("public:film", kwargs={"pk": "a.public_film"}),
    public("public:embed", kwargs={"pk": "a.public_film"}),
    public("public:poster", kwargs={"pk": "a.public_film"}),
    # issue 12 — companies: the page of a company that agreed to appear.
    public("public:company", kwargs={"pk": "a.public_film.company"}, hides_a_from=EVERYONE),
    public("public:oembed", query="format=json&url=extra.public_film_url"),
    public("public:sitemap", hides_a_from=EVERYONE),
    public("public:vote_home", kwargs=EDITION, hides_a_from=EVERYONE),
    public(
        "public:vote_submit",
        kwargs={"edition_pk": "a.edition", "category_pk": "a.category"},
        everyone="405",
        post=True,
    ),
    public("public:vote_confirm", kwargs={"token": "a.vote.token"}, post=True),
    # issue 12 — trades
    public("public:trades", hides_a_from=EVERYONE),
    public("public:trade", kwargs={"slug": "a.trade.slug"}, hides_a_from=EVERYONE),
    public("public:edition_calendar", kwargs={"slug": "a.festival.slug", "year": "a.edition.year"}),
]

# The Django admin: superusers only; everyone else is sent to its login page, which refuses
# staff accounts that are not superusers (config/admin_site.py).
ADMIN_MODELS = {
    # model: the object its change pages open (festival A's), or None for a missing one.
    "auth.group": None,
    "django_tasks_database.dbtaskresult": None,
    "festival.user": "users.teacher_of_film",
    "festival.membership": "users.teacher_of_film.memberships.first",
    "festival.festival": "a.festival",
    "festival.edition": "a.edition",
    "festival.category": "a.category",
    "festival.school": "a.film.school",
    "festival.company": "a.film.company",
    "festival.trade": "a.trade",
    "festival.volunteercompany": None,
    "festival.film": "a.film",
    "festival.consentform": "a.consent",
    "festival.invitation": None,
    "media_pipeline.videoversion": "a.version",
    "judging.judgingsettings": "a.edition.judging_settings",
    "judging.criterion": "a.edition.criteria.first",
    "judging.jury": "a.jury",
    "judging.jurymember": "a.member",
    "judging.affiliation": "users.assigned_juror.affiliations.first",
    "judging.conflictdeclaration": None,
    "judging.assignment": "a.assignment",
    "judging.evaluation": "a.evaluation",
    "judging.score": "a.evaluation.scores.first",
    "judging.scorechange": None,
}


# Pages a superuser is refused too: objects only the platform creates (add) or never deletes.
ADMIN_REFUSED = {
    "django_tasks_database.dbtaskresult": {"add", "delete"},
    "festival.consentform": {"add"},
    "festival.invitation": {"add"},
    "media_pipeline.videoversion": {"add", "delete"},
    "judging.evaluation": {"add", "delete"},
    "judging.score": {"add", "delete"},
    "judging.scorechange": {"add", "delete"},
}


def admin(key, **kw):
    return Row(key, allowed={SUPERUSER}, denied="admin_login", anonymous="admin_login", **kw)


def _admin_model_rows(model, obj):
    app, name = model.split(".")
    object_id = {"object_id": obj or "999999"}
    refused = ADMIN_REFUSED.get(model, set())

    def page(view, kwargs=None):
        answer = "403" if view in refused else "ok"
        return admin(f"admin:{app}_{name}_{view}", kwargs=kwargs or {}, get=answer)

    return [
        page("changelist"),
        page("add"),
        page("change", object_id),
        page("delete", object_id),
        page("history", object_id),
        # Django's redirect from an object's old address to its change page.
        admin(f"admin/{app}/{name}/<path:object_id>/", kwargs=object_id),
    ]


def _admin_rows():
    rows = [
        admin("admin:index"),
        public("admin:login"),
        # Django sends whoever may not use the admin from its logout to its index.
        Row(
            "admin:logout",
            allowed={SUPERUSER},
            get="405",
            denied="redirect:admin:index",
            anonymous="redirect:admin:index",
            post=True,
        ),
        admin("admin:password_change"),
        admin("admin:password_change_done"),
        # Without its query (which field of which model), a 403 even to a superuser.
        admin("admin:autocomplete", get="403"),
        admin("admin:jsi18n"),
        admin("admin:app_list", kwargs={"app_label": "festival"}),
        admin(
            "admin:view_on_site",
            kwargs={"content_type_id": "extra.film_ct", "object_id": "a.film"},
            get="redirect:festival:teacher_film",
        ),
        admin("admin/(?P<url>.*)$", kwargs={"url": "nulle-part/"}, get="404"),
        admin("admin:auth_user_password_change", kwargs={"id": "users.teacher_of_film"}),
    ]
    for model, obj in ADMIN_MODELS.items():
        rows += _admin_model_rows(model, obj)
    return rows


# --- issue 13: transfer ---
# Films sent to another festival's final: each organizer sees the offers of their own festival
# (its winners sent, the films offered to it); festival B's film offered to A's edition is
# decided by A's organizers only.
TRANSFER = {"pk": "extra.transfer"}
ROWS += [
    org("festival:organizer_transfers", own_festival=True),
    org("festival:organizer_transfer_offer", kwargs=FILM, post=True),
    org("festival:organizer_transfer", kwargs=TRANSFER),
    org("festival:organizer_transfer_accept", kwargs=TRANSFER, post=True),
    org("festival:organizer_transfer_decline", kwargs=TRANSFER, post=True),
]

# --- issue 13: ceremony ---
CEREMONY_TOKEN = {"token": "extra.ceremony_invitation.token"}
ROWS += [
    org("festival:organizer_edition_ceremony", kwargs={"pk": "a.edition"}, post=True),
    org_post("festival:organizer_edition_ceremony_open", kwargs={"pk": "a.edition"}),
    org_post("festival:organizer_edition_ceremony_close", kwargs={"pk": "a.edition"}),
    public("public:ceremony", kwargs={"slug": "a.festival.slug", "year": "a.edition.year"}),
    public("public:ceremony_answer", kwargs=CEREMONY_TOKEN, post=True),
    # Before any answer, the confirmation page sends back to the answer form.
    public("public:ceremony_answered", kwargs=CEREMONY_TOKEN),
    public("public:ceremony_calendar", kwargs=CEREMONY_TOKEN),
    org("judging:ceremony_current", own_festival=True),
    org("judging:ceremony_invitations", kwargs=EDITION),
    org("judging:ceremony_guests", kwargs=EDITION, post=True),
    org("judging:ceremony_guest_list", kwargs=EDITION, post=True),
    org("judging:ceremony_send", kwargs=EDITION, post=True),
    org_post("judging:ceremony_resume", kwargs=EDITION),
    org("judging:ceremony_csv", kwargs=EDITION),
    org("judging:ceremony_sign_in", kwargs=EDITION),
    org_post("judging:ceremony_resend", kwargs={"pk": "extra.ceremony_invitation"}),
    org("judging:awards_schedule", kwargs=EDITION, post=True),
    org_post("judging:awards_schedule_cancel", kwargs={"pk": "extra.scheduled_palmares"}),
]
# --- issue 13: audience ---
ROWS += [
    # The player's report of a play: POST only, no token, for anyone (it only counts).
    public("public:film_play", kwargs={"pk": "a.public_film"}, everyone="405", post=True),
    org("public:impact", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("public:impact_csv", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("public:impact_pdf", own_festival=True),
    # The installation's report: the platform's operators only.
    Row("public:platform_impact", allowed=frozenset({SUPERUSER})),
    Row("public:platform_impact_csv", allowed=frozenset({SUPERUSER})),
    Row("public:platform_impact_pdf", allowed=frozenset({SUPERUSER})),
]
# --- end of issue 13: audience ---
# --- issue 13: schooldata ---
SCHOOL = {"pk": "a.film.school"}
ROWS += [
    org("festival:organizer_schools", own_festival=True, hides_a_from=OTHERS_OF_B),
    org("festival:organizer_school", kwargs=SCHOOL),
    org_post("festival:organizer_school_export", kwargs=SCHOOL),
    org("festival:organizer_school_erasure", kwargs=SCHOOL, post=True),
    org_post("festival:organizer_school_erase", kwargs=SCHOOL),
]
# --- end issue 13: schooldata ---

# --- issue 13: privacy ---
ROWS += [
    org("festival:organizer_legal_texts", own_festival=True, post=True),
    public("public:privacy", hides_a_from=EVERYONE),
    public("public:legal_notice", hides_a_from=EVERYONE),
    public("public:festival_privacy", kwargs={"slug": "a.festival.slug"}, hides_a_from=EVERYONE),
    public(
        "public:festival_legal_notice", kwargs={"slug": "a.festival.slug"}, hides_a_from=EVERYONE
    ),
]

# --- issue 13: selection ---
# The pre-selection pages: festival A's organizers. Edition A has no round: the ranking and
# the check page send its organizers to the round's settings; its finalists page is a 404 to
# everyone (announced finalists are tested in tests/public/test_finalists.py).
ROWS += [
    org("judging:selection_settings", kwargs=EDITION, post=True),
    org(
        "judging:selection_ranking",
        kwargs=EDITION,
        get="redirect:judging:selection_settings",
        post=True,
    ),
    org(
        "judging:selection_check",
        kwargs=EDITION,
        get="redirect:judging:selection_settings",
        post=True,
    ),
    org_post("judging:selection_cancel", kwargs=EDITION),
    Row(
        "public:finalists",
        kwargs={"slug": "a.festival.slug", "year": "a.edition.year"},
        everyone="404",
    ),
]

# --- final ---
# Withdrawing an offer (POST only): festival A's organizers for A's film offered to B's edition;
# B's organizer (who receives it) gets the same 404 as any stranger.
ROWS += [
    org_post("festival:organizer_transfer_withdraw", kwargs={"pk": "extra.sent_transfer"}),
]

ROWS += _admin_rows()
