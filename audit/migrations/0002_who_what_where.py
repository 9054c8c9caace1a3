# Who, what, the outcome, from where: and no foreign keys, which a deletion would update (or block on).

from urllib.parse import parse_qsl

from django.db import migrations, models


def filter_names_only(apps, schema_editor):
    """Exports recorded before this one kept the list's filters with their values ("first_name=Zoe"):
    keep the names, drop the values, before the trail becomes append-only (0003)."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    for event in AuditEvent.objects.filter(action="export").exclude(detail=""):
        parts = event.detail.split(" — ")
        if len(parts) != 3:
            continue
        what, filters, references = parts
        searched = filters.endswith("(searched)")
        names = sorted({name for name, _value in parse_qsl(filters.removesuffix("(searched)").strip())} - {"q"})
        on_screen = "; ".join(([f"filters: {', '.join(names)}"] if names else []) + (["searched"] if searched else []))
        event.detail = "; ".join(part for part in (what, on_screen, references) if part)
        event.save(update_fields=["detail"])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(filter_names_only, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='auditevent',
            name='request',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='user',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='client_address',
            field=models.CharField(blank=True, max_length=45, verbose_name='client address'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='outcome',
            field=models.CharField(choices=[('ok', 'Done'), ('denied', 'Refused'), ('locked', 'Locked out')], default='ok', max_length=10, verbose_name='outcome'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='subject',
            field=models.CharField(choices=[('requests', 'Appointment requests'), ('trail', 'Audit trail'), ('account', 'Staff sign-in')], default='requests', max_length=10, verbose_name='about'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='user_agent',
            field=models.CharField(blank=True, max_length=300, verbose_name='browser'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('list', 'Listed'), ('search', 'Searched'), ('view', 'Viewed'), ('history', 'Viewed history'), ('confirm-delete', 'Asked to delete'), ('change', 'Changed'), ('export', 'Exported'), ('delete', 'Deleted'), ('sign-in', 'Signed in'), ('sign-out', 'Signed out')], max_length=20, verbose_name='action'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='username',
            field=models.CharField(max_length=150, verbose_name='who'),
        ),
    ]
