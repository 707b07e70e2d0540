"""The admin, for the admin role only. Division staff edit a programme's lists (expense
categories, documents, form sections and questions, rubric) on the staff screens
(``/staff/programmes/<code>/lists/…``, through ``services.add_list_item`` and its siblings, which
keep what submitted applications rely on); the admin remains as the admin role's tool for the
same rows, windows and budgets, and every change is kept by the audit trail. Workflow records
are read-only here: they change only through the services."""

from django.contrib import admin
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from shoko.programmes import eligibility
from shoko.programmes.models import (
    Application,
    ApplicationWindow,
    ExpenseCategory,
    FormQuestion,
    FormSection,
    Programme,
    ProgrammeBudget,
    RequiredDocument,
    RubricCriterion,
    TransitionLog,
)


class ExpenseCategoryInline(TranslationTabularInline):
    model = ExpenseCategory
    extra = 0


class RequiredDocumentInline(TranslationStackedInline):
    model = RequiredDocument
    extra = 0


class RubricInline(TranslationTabularInline):
    model = RubricCriterion
    extra = 0


class WindowInline(admin.TabularInline):
    model = ApplicationWindow
    extra = 0


class BudgetInline(admin.TabularInline):
    model = ProgrammeBudget
    extra = 0
    readonly_fields = ["committed_yen", "confirmed_yen", "paid_yen"]


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin):
    list_display = [
        "name",
        "code",
        "plan_item",
        "division",
        "rate_label",
        "cap_yen",
        "is_published",
    ]
    list_filter = ["division", "is_published"]
    search_fields = ["code", "name"]
    inlines = [
        ExpenseCategoryInline,
        RequiredDocumentInline,
        RubricInline,
        WindowInline,
        BudgetInline,
    ]

    def save_model(self, request, obj, form, change):
        obj.eligibility_rules = eligibility.validate_rules(obj.eligibility_rules)
        super().save_model(request, obj, form, change)


class QuestionInline(TranslationStackedInline):
    model = FormQuestion
    extra = 0


@admin.register(FormSection)
class FormSectionAdmin(TranslationAdmin):
    list_display = ["title", "programme", "order"]
    list_filter = ["programme"]
    inlines = [QuestionInline]


class TransitionInline(admin.TabularInline):
    model = TransitionLog
    extra = 0
    can_delete = False
    readonly_fields = [
        "transition",
        "from_status",
        "to_status",
        "actor",
        "on_behalf",
        "comment",
        "amount_yen",
        "acted_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: the workflow moves only through the services (and their audit)."""

    list_display = ["number", "title", "programme", "fiscal_year", "status", "approved_yen"]
    list_filter = ["programme", "fiscal_year", "status"]
    search_fields = ["number", "title", "applicant_name"]
    inlines = [TransitionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
