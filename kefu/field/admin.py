from django.contrib import admin

from kefu.field.models import AddressLocation, Appointment, TechnicianProfile


@admin.register(TechnicianProfile)
class TechnicianProfileAdmin(admin.ModelAdmin):
    list_display = ("staff", "daily_capacity", "district")
    filter_horizontal = ("skills",)
    raw_id_fields = ("staff",)


@admin.register(AddressLocation)
class AddressLocationAdmin(admin.ModelAdmin):
    list_display = ("address", "district", "latitude", "longitude")
    raw_id_fields = ("address",)


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("notification", "date", "slot", "set_by")
    raw_id_fields = ("notification",)
    readonly_fields = ("version", "set_by")
