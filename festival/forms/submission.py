"""Forms of a film's submission: the rights declaration and the acceptance of the rules."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from festival.domain.rights import credits_error
from festival.enums import MusicRights
from festival.models import Film


class RightsDeclarationForm(forms.Form):
    music_rights = forms.ChoiceField(
        label=_("D'où vient la musique du film ?"),
        choices=MusicRights.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez d'où vient la musique du film.")},
    )
    third_party_credits = forms.CharField(
        label=_("Crédits de la musique et des contenus de tiers"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Obligatoires pour une musique sous licence libre ou utilisée avec autorisation : "
            "titre, auteur, licence (par exemple CC BY 4.0) ou ayant droit. Citez aussi les "
            "images, logos ou extraits que les élèves n'ont pas faits eux-mêmes."
        ),
    )
    certify = forms.BooleanField(
        label=_(
            "Je déclare que ces informations sont exactes et que tout ce que le film reprend "
            "d'autres auteurs (musique, images, extraits) est utilisé avec leur autorisation ou "
            "sous une licence qui le permet."
        ),
        error_messages={"required": _("Cochez la case pour confirmer votre déclaration.")},
    )

    def __init__(self, *args, film: Film | None = None, **kw):
        if film is not None and film.rights_declared_at is not None:
            kw.setdefault(
                "initial",
                {
                    "music_rights": film.music_rights,
                    "third_party_credits": film.third_party_credits,
                },
            )
        super().__init__(*args, **kw)

    def clean(self):
        cleaned = super().clean()
        error = credits_error(
            cleaned.get("music_rights", ""), cleaned.get("third_party_credits", "")
        )
        if error:
            self.add_error("third_party_credits", ValidationError(error, code="credits_required"))
        return cleaned


class SubmitForm(forms.Form):
    """The last step of a submission: the rules to accept, when the edition has some that the
    film's latest acceptance is not of."""

    accept_rules = forms.BooleanField(
        label=_("J'ai lu et j'accepte le règlement de l'édition"),
        required=False,
        error_messages={"required": _("Cochez la case pour accepter le règlement de l'édition.")},
    )
    # The version of the rules the page showed: the teacher accepts the text they read.
    rules_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, rules_needed: bool, rules_version: str = "", **kw):
        super().__init__(*args, initial={"rules_version": rules_version}, **kw)
        self.rules_needed = rules_needed
        self.current_version = rules_version
        if rules_needed:
            self.fields["accept_rules"].required = True
        else:
            del self.fields["accept_rules"]
            del self.fields["rules_version"]

    def clean(self):
        cleaned = super().clean()
        if self.rules_needed and cleaned.get("accept_rules"):
            if cleaned.get("rules_version") != self.current_version:
                self.add_error(
                    "accept_rules",
                    ValidationError(
                        _(
                            "Le règlement vient d'être modifié par l'organisation : relisez-le "
                            "puis cochez à nouveau la case."
                        ),
                        code="rules_changed",
                    ),
                )
                # The page shows the new text: its box starts unticked.
                self.data = self.data.copy()
                self.data.pop("accept_rules", None)
                self.data["rules_version"] = self.current_version
        return cleaned
