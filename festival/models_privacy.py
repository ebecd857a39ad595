"""What a festival tells the public about its pupils' personal data and its legal notice.

Imported at the end of `festival.models`, so Django sees this model as the festival app's.
Every field is plain text typed by the organizers (paragraphs, no HTML); an empty field leaves
the default wording of the pages (`public/privacy.html`, `public/legal_notice.html`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FestivalLegalTexts(models.Model):
    festival = models.OneToOneField(
        "festival.Festival",
        verbose_name=_("festival"),
        on_delete=models.CASCADE,
        related_name="legal_texts",
    )
    data_controller = models.TextField(
        _("responsable du traitement"),
        blank=True,
        help_text=_("La structure responsable des données : nom, forme, adresse."),
    )
    rights_email = models.EmailField(
        _("e-mail pour exercer ses droits"),
        blank=True,
        help_text=_("Sans adresse ici, l'e-mail de contact du festival est indiqué."),
    )
    rights_postal_address = models.TextField(
        _("adresse postale pour exercer ses droits"), blank=True
    )
    dpo_contact = models.TextField(
        _("délégué à la protection des données (DPO)"),
        blank=True,
        help_text=_("Nom ou service et moyen de le joindre, si la structure en a désigné un."),
    )
    hosting_provider = models.TextField(
        _("hébergeur"), blank=True, help_text=_("Nom, adresse et téléphone de l'hébergeur.")
    )
    publication_director = models.CharField(
        _("directeur ou directrice de la publication"), max_length=200, blank=True
    )
    publisher = models.TextField(
        _("éditeur du site"),
        blank=True,
        help_text=_("Nom, adresse, numéro SIRET ou RNA de la structure qui publie le site."),
    )
    privacy_extra = models.TextField(
        _("texte complémentaire (données personnelles)"),
        blank=True,
        help_text=_("Ajouté à la fin de la page « Données personnelles »."),
    )
    legal_extra = models.TextField(
        _("texte complémentaire (mentions légales)"),
        blank=True,
        help_text=_("Ajouté à la fin de la page « Mentions légales »."),
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("modifié par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("textes légaux du festival")
        verbose_name_plural = _("textes légaux des festivals")

    def __str__(self):
        return str(self.festival)
