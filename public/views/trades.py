"""The trades' public pages: what each job is, the public films that show it and the training
paths towards it. A trade has a page once a public film shows it or its organizers described it
(`public.selectors.public_trades`); any other address is a 404."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from judging.visibility import LivePalmares
from public.cache import shared_page
from public.selectors import TRADE_FILMS, public_trade_or_404, public_trades, trade_cards


@require_GET
@shared_page
def trade_list(request):
    return render(request, "public/trades.html", {"trades": list(public_trades())})


@require_GET
@shared_page
def trade_detail(request, slug):
    live = LivePalmares.load()
    trade = public_trade_or_404(slug, live)
    cards = trade_cards(trade, request.user, live)
    context = {
        "trade": trade,
        "cards": cards,
        "links": list(trade.training_links.all()),
        # More films than the page shows: the gallery, filtered on the trade, has them all.
        "more_films": trade.public_film_count > TRADE_FILMS,
        "gallery_url": reverse("public:gallery") + "?" + urlencode({"trade": trade.pk}),
        "page_url": request.build_absolute_uri(request.path),
    }
    return render(request, "public/trade.html", context)
