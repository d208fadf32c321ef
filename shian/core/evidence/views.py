from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Evidence, EvidenceFlag
from .forms import EvidenceUploadForm
from .services import evidence_upload, stored_type

FLAG_EXPLANATIONS = {
    EvidenceFlag.NO_EXIF: gettext_lazy(
        "The photo carries no capture time or no GPS position of its own, so when and where it was taken "
        "cannot be checked. Photos picked from an album, screenshots and edited images usually lose them."
    ),
    EvidenceFlag.TIME_MISMATCH: gettext_lazy(
        "The time the camera recorded is further from the claimed capture time than the tolerance allows."
    ),
    EvidenceFlag.PLACE_MISMATCH: gettext_lazy(
        "The position the camera recorded is further from the position given at upload than the tolerance allows."
    ),
    EvidenceFlag.FAR_FROM_PREMISES: gettext_lazy(
        "The photo was taken further from the food business's registered premises than the allowed radius."
    ),
    EvidenceFlag.DUPLICATE: gettext_lazy(
        "Exactly the same file (same SHA-256) was uploaded before: a photo should be taken anew on site each time."
    ),
    EvidenceFlag.PHONE_MISMATCH: gettext_lazy(
        "The phone number given is not the uploader's registered phone, or the uploader has none registered."
    ),
}


def _visible(request):
    return Evidence.objects.visible_to(request.user)


@login_required
@permission_required("core.view_evidence", raise_exception=True)
def evidence_list(request):
    evidence = _visible(request).select_related("region", "operator", "uploaded_by")
    page = Paginator(evidence, 30).get_page(request.GET.get("page"))
    return render(request, "core/evidence/list.html", {"page": page})


def _subject(request):
    """The record a photo is evidence for, from `?subject=app_label.model:pk`: only a model scoped by place
    (`visible_to`) and only a record the user may see; else 404. None when no subject is given."""
    value = request.GET.get("subject", "")
    if not value:
        return None
    label, _sep, pk = value.partition(":")
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404 from None
    if not hasattr(model.objects, "visible_to"):
        raise Http404
    return get_object_or_404(model.objects.visible_to(request.user), pk=pk)


def _operator_of(subject):
    """The id of the food business a subject belongs to, along its model's scope path (None if none)."""
    path = getattr(type(subject), "scope", None) and type(subject).scope.operator
    if subject is None or not path:
        return None
    target = subject
    for part in path.split("__"):
        target = getattr(target, part, None)
    return getattr(target, "pk", None)


@login_required
@permission_required("core.add_evidence", raise_exception=True)
def evidence_new(request):
    subject = _subject(request)
    operator = _operator_of(subject) or request.GET.get("operator")
    form = EvidenceUploadForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        initial={"operator": operator, "scene": request.GET.get("scene", "")},
    )
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST" and form.is_valid():
        try:
            evidence = evidence_upload(**form.cleaned_data, uploaded_by=request.user, subject=subject)
        except ValidationError as exc:
            for field, messages_ in exc.message_dict.items():
                form.add_error(field if field in form.fields else NON_FIELD_ERRORS, messages_)
        else:
            messages.success(request, _("Evidence uploaded."))
            return redirect(back) if back else redirect("evidence-detail", public_id=evidence.public_id)
    return render(request, "core/evidence/upload.html", {"form": form, "subject": subject})


@login_required
@permission_required("core.view_evidence", raise_exception=True)
def evidence_detail(request, public_id):
    evidence = get_object_or_404(
        _visible(request).select_related("region", "operator", "uploaded_by", "duplicate_of"),
        public_id=public_id,
    )
    first_upload = None
    if evidence.duplicate_of_id:
        first_upload = _visible(request).filter(pk=evidence.duplicate_of_id).first()
    flags = [
        {"code": code, "label": EvidenceFlag(code).label, "explanation": FLAG_EXPLANATIONS[code]}
        for code in evidence.flags
        if code in EvidenceFlag.values
    ]
    return render(
        request,
        "core/evidence/detail.html",
        {"evidence": evidence, "flags": flags, "first_upload": first_upload},
    )


def _stream(field, *, inline: bool, content_type: str) -> FileResponse:
    response = FileResponse(
        field.open("rb"),
        as_attachment=not inline,
        filename=field.name.rsplit("/", 1)[-1],
        content_type=content_type,
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@permission_required("core.view_evidence", raise_exception=True)
def evidence_file(request, public_id):
    evidence = get_object_or_404(_visible(request), public_id=public_id)
    return _stream(evidence.file, inline=evidence.is_image, content_type=evidence.mime_type)


@login_required
@permission_required("core.view_evidence", raise_exception=True)
def evidence_face(request, public_id):
    evidence = get_object_or_404(_visible(request), public_id=public_id)
    return _stream(evidence.face_photo, inline=True, content_type=stored_type(evidence.face_photo.name))
