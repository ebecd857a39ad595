from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """What the public sees, on top of every other app: home, palmarès, gallery, film pages,
    feeds, sitemap, oEmbed and the prix du public; the demo data loader sits here too."""

    name = "public"
    verbose_name = _("Site public")

    def ready(self):
        from festival.film_figures import register_film_figures
        from public.audience import film_figures
        from public.cache import connect_signals

        connect_signals()
        register_film_figures(film_figures)
