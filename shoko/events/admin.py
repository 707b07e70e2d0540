"""The Django admin: every record, translations in all five languages (admins only)."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from shoko.events.models import (
    Certificate,
    ConsultationBooking,
    ConsultationSlot,
    Event,
    Question,
    Registration,
    Series,
    Session,
    SessionArea,
    Venue,
)


@admin.register(Venue)
class VenueAdmin(TranslationAdmin):
    list_display = ("name", "address", "latitude", "longitude")
    search_fields = ("name", "address")


@admin.register(Series)
class SeriesAdmin(TranslationAdmin):
    list_display = ("title", "programme", "plan_item", "certified_programme")
    list_filter = ("programme", "certified_programme")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("label", "starts_at", "ends_at", "capacity", "seats_taken", "status")
    readonly_fields = ("seats_taken",)


@admin.register(Event)
class EventAdmin(TranslationAdmin):
    list_display = ("title", "kind", "programme", "plan_item", "published")
    list_filter = ("kind", "programme", "published")
    search_fields = ("title",)
    inlines = [SessionInline]


@admin.register(Question)
class QuestionAdmin(TranslationAdmin):
    list_display = ("label", "purpose", "type", "event", "series")


@admin.register(SessionArea)
class SessionAreaAdmin(admin.ModelAdmin):
    list_display = ("session", "area")


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("full_name", "session", "status", "seats", "attendance")
    list_filter = ("status", "attendance", "source")
    search_fields = ("full_name", "email")
    # Seats and statuses change only through the services (they keep the counter true).
    readonly_fields = ("session", "status", "seats", "token", "seats_taken_note")

    @admin.display(description="seats")
    def seats_taken_note(self, obj: Registration) -> str:
        return f"{obj.session.seats_taken}/{obj.session.capacity}"


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "holder_name", "series", "issued_on")
    readonly_fields = ("fiscal_year", "serial")


@admin.register(ConsultationSlot)
class ConsultationSlotAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "consultant", "programme", "cancelled")


@admin.register(ConsultationBooking)
class ConsultationBookingAdmin(admin.ModelAdmin):
    list_display = ("slot", "organisation", "status")
