from django.contrib import admin

from .models import RegradeRun, RiskGrade, RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "version", "jurisdiction", "effective_from", "confidence", "loaded_at"]
    readonly_fields = [f.name for f in RuleSet._meta.fields]

    def has_add_permission(self, request):
        return False  # loaded from files: `shian risk load FILE`


@admin.register(RiskGrade)
class RiskGradeAdmin(admin.ModelAdmin):
    list_display = ["operator", "grade", "total_score", "basis", "graded_at", "is_current"]
    list_filter = ["grade", "basis", "is_current"]
    raw_id_fields = ["operator"]
    readonly_fields = [f.name for f in RiskGrade._meta.fields]


@admin.register(RegradeRun)
class RegradeRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "region", "status", "finished_at"]
    readonly_fields = [f.name for f in RegradeRun._meta.fields]
