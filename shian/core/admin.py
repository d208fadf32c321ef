from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from .models import (
    Agency,
    ApiToken,
    AuditEntry,
    CalendarDay,
    Evidence,
    HolidayNotice,
    LedgerEntry,
    Notification,
    Region,
    User,
)
from .services.calendar import holiday_notice_load, parse_notice
from .services.tokens import api_scopes, api_token_create, api_token_revoke


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that only services write (audit, ledger, evidence): viewable, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "valid_to"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent", "successor"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["region", "parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "real_name", "kind", "agency", "jurisdiction", "is_active"]
    list_filter = ["kind", "groups", "is_active"]
    search_fields = ["username", "real_name", "phone"]
    autocomplete_fields = ["agency", "jurisdiction"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Shian"), {"fields": ("real_name", "phone", "kind", "agency", "jurisdiction")}),
    )


class ApiTokenCreateForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Acts as"), queryset=User.objects.filter(is_active=True))
    name = forms.CharField(label=_("Name"), max_length=100)
    scopes = forms.MultipleChoiceField(label=_("Scopes"), widget=forms.CheckboxSelectMultiple)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=730, initial=365)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = sorted(api_scopes().items())


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are issued here (the key is shown once) or with `shian token create`, and revoked, never edited."""

    list_display = ["name", "prefix", "user", "scopes", "expires_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return request.user.has_perm("core.add_apitoken")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiTokenCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            token, key = api_token_create(**form.cleaned_data, created_by=request.user)
            self.message_user(
                request,
                _("Token %(prefix)s issued. Its key is shown this once; give it to the integration now: %(key)s")
                % {"prefix": token.prefix, "key": key},
                level=messages.WARNING,
            )
            return redirect("admin:core_apitoken_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Issue an API token"),
        }
        return render(request, "admin/core/form_page.html", context)

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, by=request.user)

    def has_revoke_permission(self, request):
        return request.user.has_perm("core.change_apitoken")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "object_repr", "source", "request_id"]
    list_filter = ["source"]
    search_fields = ["action", "object_repr", "request_id"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "kind", "object_type", "object_id", "hash"]
    search_fields = ["hash", "object_id"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["scene", "uploaded_by", "captured_at", "sha256", "flags"]
    search_fields = ["sha256", "scene"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "title", "created_at", "read_at"]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HolidayNoticeUploadForm(forms.Form):
    file = forms.FileField(label=_("Notice file (TOML, see docs/holiday-notice.md)"))


@admin.register(HolidayNotice)
class HolidayNoticeAdmin(ReadOnlyAdmin):
    """Notices are loaded whole from a file (validated and audited), never edited day by day."""

    list_display = ["year", "title", "loaded_at"]
    inlines = [CalendarDayInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return request.user.has_perm("core.add_holidaynotice")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = HolidayNoticeUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                notice = holiday_notice_load(data=parse_notice(upload.read(), name=upload.name), by=request.user)
            except ValidationError as error:
                for key, problems in error.message_dict.items():
                    form.add_error(None, f"{key}: {'; '.join(problems)}")
            else:
                self.message_user(request, _("Loaded the holiday notice for %(year)s.") % {"year": notice.year})
                return redirect("admin:core_holidaynotice_change", notice.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Load a holiday notice"),
        }
        context["intro"] = _(
            "Upload the State Council's holiday notice for a year, written in the TOML format of "
            "docs/holiday-notice.md. Loading a year again replaces its notice; "
            "nothing changes if the file has an error."
        )
        return render(request, "admin/core/form_page.html", context)
