from django.db import migrations, models
import django.utils.timezone


class Migration(migrations.Migration):
    """The request's status log takes the shared transition-log shape (de, vers, le, par, motif); rows are kept."""

    dependencies = [("utilisateurs", "0003_localisation")]

    operations = [
        migrations.RenameField(model_name="changementstatut", old_name="quand", new_name="le"),
        migrations.AlterModelOptions(
            name='changementstatut',
            options={'ordering': ['le', 'pk'], 'verbose_name': 'changement de statut', 'verbose_name_plural': 'changements de statut'},
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
    ]
