from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import django.utils.timezone


class Migration(migrations.Migration):
    """The status log takes the shared transition-log shape (de, vers, le, par, motif); rows are kept."""

    dependencies = [("prestataires", "0006_bases_fin_allocations_organismes"), migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.RemoveConstraint(model_name="changementstatut", name="changement_statut_different"),
        migrations.RenameField(model_name="changementstatut", old_name="ancien", new_name="de"),
        migrations.RenameField(model_name="changementstatut", old_name="nouveau", new_name="vers"),
        migrations.RenameField(model_name="changementstatut", old_name="created_at", new_name="le"),
        migrations.AlterModelOptions(
            name='changementstatut',
            options={'ordering': ['-date', '-le'], 'verbose_name': 'changement de statut', 'verbose_name_plural': 'changements de statut'},
        ),
        migrations.AlterField(
            model_name='changementstatut',
            name='de',
            field=models.CharField(choices=[('inscrit', 'Inscrit·e'), ('actif', 'Actif·ve (contrat signé)'), ('suspendu', 'Suspendu·e'), ('sorti', 'Sorti·e')], max_length=20, verbose_name='de'),
        ),
        migrations.AlterField(
            model_name='changementstatut',
            name='le',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='le'),
        ),
        migrations.AlterField(
            model_name='changementstatut',
            name='motif',
            field=models.TextField(blank=True, verbose_name='motif'),
        ),
        migrations.AlterField(
            model_name='changementstatut',
            name='par',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='par'),
        ),
        migrations.AlterField(
            model_name='changementstatut',
            name='vers',
            field=models.CharField(choices=[('inscrit', 'Inscrit·e'), ('actif', 'Actif·ve (contrat signé)'), ('suspendu', 'Suspendu·e'), ('sorti', 'Sorti·e')], max_length=20, verbose_name='vers'),
        ),
        migrations.AddConstraint(
            model_name='changementstatut',
            constraint=models.CheckConstraint(condition=models.Q(('de', models.F('vers')), _negated=True), name='changement_statut_different'),
        ),
    ]
