"""The organizers' page for their festival's personal-data page and legal notice, with a
preview of both pages as the public will read them, before saving."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from festival.domain.privacy import legal_page_context, legal_texts_of, save_legal_texts
from festival.forms.privacy import LegalTextsForm
from festival.models import FestivalLegalTexts
from festival.rules import organizer_required


@organizer_required
def legal_texts_edit(request):
    festival = request.user.festival
    texts = legal_texts_of(festival)
    form = LegalTextsForm(request.POST or None, instance=texts)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" not in request.POST:
            save_legal_texts(festival=festival, organizer=request.user, **form.values())
            messages.success(
                request,
                _("Les textes sont enregistrés : le public les lit dès maintenant."),
            )
            return redirect("festival:organizer_legal_texts")
        # Shown, not saved: an unsaved copy with what was typed.
        preview = FestivalLegalTexts(festival=festival, **form.values())
    context = {
        "form": form,
        "festival": festival,
        "preview": preview is not None,
        **legal_page_context(festival, preview if preview is not None else texts),
    }
    return render(request, "festival/organizer/editions/legal_texts_form.html", context)
