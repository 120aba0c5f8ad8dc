from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from ale_platform.privacy.services import anonymise_expired, purge_expired


class Command(BaseCommand):
    help = "Anonymise les dossiers clôturés dont la durée de conservation de l'agence est dépassée."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Liste ce qui serait anonymisé, sans rien changer.")

    def handle(self, *args, dry_run=False, **options):
        candidates = anonymise_expired(dry_run=dry_run)
        verb = "À anonymiser" if dry_run else "Anonymisé"
        for candidate in candidates:
            self.stdout.write(f"{verb} : {candidate}")
        n = len(candidates)
        if dry_run:
            summary = ngettext("%(n)s dossier à anonymiser.", "%(n)s dossiers à anonymiser.", n)
        else:
            summary = ngettext("%(n)s dossier anonymisé.", "%(n)s dossiers anonymisés.", n)
        self.stdout.write(summary % {"n": n})
        if not dry_run:
            for name, deleted in purge_expired().items():
                self.stdout.write(f"{name} : {deleted}")
