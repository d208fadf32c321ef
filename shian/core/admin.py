from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
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


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "prefix", "user", "expires_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__username"]


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
        return render(request, "admin/core/holidaynotice/upload.html", context)
