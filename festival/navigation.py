"""The organizers' menu: which of its sections a page belongs to, and the edition links.

Pages are known by their URL name ("namespace:name"); judging's are only strings here, so the
core imports nothing from above it.
"""

from dataclasses import dataclass

# URL names of the core's organizer pages, by section of the menu.
FESTIVAL_SECTIONS = {
    "festival:organizer_dashboard": "dashboard",
    "festival:organizer_films": "films",
    "festival:organizer_film": "films",
    "festival:organizer_film_decision": "films",
    "festival:organizer_teachers": "teachers",
    "festival:organizer_invite": "invite",
    "festival:organizer_festival": "edition",
    "festival:organizer_legal_texts": "edition",
    "festival:organizer_editions": "edition",
    "festival:organizer_trades": "edition",
    "festival:organizer_trade_edit": "edition",
    "festival:organizer_trade_delete": "edition",
    "festival:organizer_edition_ceremony": "ceremony",
    "festival:organizer_edition_ceremony_open": "ceremony",
    "festival:organizer_edition_ceremony_close": "ceremony",
}
# The festival's and its editions' set-up pages (edition, its categories), the companies'
# pages, by name start.
FESTIVAL_PREFIXES = (
    ("festival:organizer_edition", "edition"),
    ("festival:organizer_category_", "edition"),
    ("festival:organizer_call", "calls"),
    ("festival:organizer_compan", "companies"),
    ("festival:organizer_volunteer", "companies"),
    ("festival:organizer_transfer", "transfers"),
    ("festival:organizer_school", "teachers"),
)
# The judging pages, by the start of their URL name (the first that matches wins).
JUDGING_SECTIONS = (
    ("judging:ceremony_", "ceremony"),
    ("judging:results", "ranking"),
    ("judging:selection_", "ranking"),
    ("judging:awards_", "awards"),
    ("judging:organizer_", "juries"),
)
# The public app's organizer pages (the impact report), by the start of their URL name.
PUBLIC_SECTIONS = (("public:impact", "impact"),)


def menu_section(view_name: str | None) -> str:
    """The section of the organizers' menu a page belongs to ("" when none)."""
    if not view_name:
        return ""
    if view_name in FESTIVAL_SECTIONS:
        return FESTIVAL_SECTIONS[view_name]
    for start, section in FESTIVAL_PREFIXES + JUDGING_SECTIONS + PUBLIC_SECTIONS:
        if view_name.startswith(start):
            return section
    return ""


@dataclass(frozen=True)
class EditionLink:
    edition: object
    url: str
    current: bool


def edition_links(editions, shown, url_of) -> list[EditionLink]:
    """One link per edition (`url_of(edition)`), the one shown marked current."""
    shown_pk = shown.pk if shown is not None else None
    return [EditionLink(edition, url_of(edition), edition.pk == shown_pk) for edition in editions]
