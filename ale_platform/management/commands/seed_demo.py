from importlib import import_module

from django.core.management.base import BaseCommand

from ale_platform import demo

# Each app seeds its part, in dependency order; each step is idempotent.
SEEDERS = [
    "ale_platform.demo",
    "forem_liaison.demo",
    "prestataires.demo",
    "utilisateurs.demo",
    "prestations.demo",
    "prestations.demo_distances",
    "forem_liaison.demo_regions",  # a Brussels ALE-PWA and the LBA of Eupen, each with its region's law
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les comptes de démo."

    def handle(self, *args, **options):
        ctx = demo.DemoContext()
        for path in SEEDERS:
            import_module(path).seed(ctx)
        width = max(len(role) for role, _email, _pw in ctx.accounts)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes (un par rôle) :"))
        for role, email, password in ctx.accounts:
            self.stdout.write(f"  {role:<{width}}  {email:<34}  {password}")
        if ctx.refusals:
            self.stdout.write("")
            self.stdout.write(self.style.WARNING("Refusé par la loi de la région (aucune règle, rien d'emprunté) :"))
            for line in ctx.refusals:
                self.stdout.write(f"  {line}")
        self.stdout.write("")
