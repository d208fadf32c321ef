from django.contrib import admin

from .models import Operator, OperatorMembership


class MembershipInline(admin.TabularInline):
    model = OperatorMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    list_display = ["name", "credit_code", "region", "status"]
    list_filter = ["status"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["region"]
    inlines = [MembershipInline]
