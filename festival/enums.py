from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    TEACHER = "teacher", _("Enseignant ou tuteur")
    JUROR = "juror", _("Juré")
    ORGANIZER = "organizer", _("Organisateur")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validé")
    REFUSED = "refused", _("Refusé")


class FilmStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("film", "Brouillon")
    SUBMITTED = "submitted", pgettext_lazy("film", "Déposé")
    NEEDS_CHANGES = "needs_changes", pgettext_lazy("film", "À compléter")
    ACCEPTED = "accepted", pgettext_lazy("film", "Accepté")
    REJECTED = "rejected", pgettext_lazy("film", "Refusé")
    WITHDRAWN = "withdrawn", pgettext_lazy("film", "Retiré")


class ConsentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("consent", "À vérifier")
    VALIDATED = "validated", pgettext_lazy("consent", "Validée")
    REFUSED = "refused", pgettext_lazy("consent", "Refusée")


class EditionPhase(models.TextChoices):
    UPCOMING = "upcoming", _("Dépôts bientôt ouverts")
    SUBMISSIONS = "submissions", _("Dépôts ouverts")
    SCREENING = "screening", _("Dépôts clos, vérification des films")
    JUDGING = "judging", _("Évaluation par le jury")
    DELIBERATION = "deliberation", _("Délibération")
    PUBLISHED = "published", _("Palmarès publié")


class StructureKind(models.TextChoices):
    """What kind of structure a teacher or tutor signs up for: schools of the Éducation
    nationale have a UAI code, the others (insertion, apprenticeship, associations) a SIRET."""

    COLLEGE = "college", _("Collège")
    LYCEE_GT = "lycee_gt", _("Lycée général et technologique")
    LYCEE_PRO = "lycee_pro", _("Lycée professionnel")
    CFA = "cfa", _("Centre de formation d'apprentis (CFA)")
    E2C = "e2c", _("École de la deuxième chance (E2C)")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    EPIDE = "epide", _("EPIDE")
    ASSOCIATION = "association", _("Association")
    HIGHER_EDUCATION = "superieur", _("Établissement d'enseignement supérieur")
    OTHER = "autre", _("Autre structure")


class Academie(models.TextChoices):
    AIX_MARSEILLE = "aix-marseille", "Aix-Marseille"
    AMIENS = "amiens", "Amiens"
    BESANCON = "besancon", "Besançon"
    BORDEAUX = "bordeaux", "Bordeaux"
    CLERMONT = "clermont-ferrand", "Clermont-Ferrand"
    CORSE = "corse", "Corse"
    CRETEIL = "creteil", "Créteil"
    DIJON = "dijon", "Dijon"
    GRENOBLE = "grenoble", "Grenoble"
    GUADELOUPE = "guadeloupe", "Guadeloupe"
    GUYANE = "guyane", "Guyane"
    LA_REUNION = "la-reunion", "La Réunion"
    LILLE = "lille", "Lille"
    LIMOGES = "limoges", "Limoges"
    LYON = "lyon", "Lyon"
    MARTINIQUE = "martinique", "Martinique"
    MAYOTTE = "mayotte", "Mayotte"
    MONTPELLIER = "montpellier", "Montpellier"
    NANCY_METZ = "nancy-metz", "Nancy-Metz"
    NANTES = "nantes", "Nantes"
    NICE = "nice", "Nice"
    NORMANDIE = "normandie", "Normandie"
    ORLEANS_TOURS = "orleans-tours", "Orléans-Tours"
    PARIS = "paris", "Paris"
    POITIERS = "poitiers", "Poitiers"
    REIMS = "reims", "Reims"
    RENNES = "rennes", "Rennes"
    STRASBOURG = "strasbourg", "Strasbourg"
    TOULOUSE = "toulouse", "Toulouse"
    VERSAILLES = "versailles", "Versailles"


class MusicRights(models.TextChoices):
    """The music of a film, as its teacher declares it before submission."""

    NONE = "none", _("Pas de musique")
    ORIGINAL = "original", _("Musique originale composée par les élèves")
    FREE_LICENCE = "free_licence", _("Musique sous licence libre")
    PERMISSION = "permission", _("Musique utilisée avec l'autorisation de l'ayant droit")
