"""Certificate numbers are taken from core's one number sequence (key ``certificate:<FY>``);
the counters reached so far move there, so numbering carries on without a gap or a repeat."""

from django.db import migrations


def to_core(apps, schema_editor):
    old = apps.get_model("events", "CertificateSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in old.objects.all():
        new.objects.update_or_create(
            key=f"certificate:{row.fiscal_year}", defaults={"last": row.last_serial}
        )


def from_core(apps, schema_editor):
    old = apps.get_model("events", "CertificateSequence")
    new = apps.get_model("core", "NumberSequence")
    for row in new.objects.filter(key__startswith="certificate:"):
        old.objects.update_or_create(
            fiscal_year=int(row.key.split(":", 1)[1]), defaults={"last_serial": row.last}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_number_sequence"),
        ("events", "0002_venue_area"),
    ]

    operations = [
        migrations.RunPython(to_core, from_core),
        migrations.DeleteModel(name="CertificateSequence"),
    ]
