"""Issues or revokes a Forem office's API token. The raw token is printed once and never stored."""

from django.core.management.base import BaseCommand, CommandError

from ale_platform.models import User
from forem_liaison.models import BureauForem, JetonAPI


class Command(BaseCommand):
    help = "Crée (ou révoque avec --revoquer PREFIXE) un jeton d'API pour un bureau du Forem."

    def add_arguments(self, parser):
        parser.add_argument("--bureau", help="Nom exact du bureau du Forem.")
        parser.add_argument("--nom", default="Système du Forem", help="Libellé du jeton.")
        parser.add_argument("--par", help="E-mail du superutilisateur qui crée le jeton.")
        parser.add_argument("--revoquer", metavar="PREFIXE", help="Révoque le jeton actif qui a ce préfixe.")

    def handle(self, *args, bureau=None, nom=None, par=None, revoquer=None, **options):
        if revoquer:
            jetons = JetonAPI.objects.active().filter(prefixe=revoquer)
            if jetons.count() != 1:
                raise CommandError("Aucun jeton actif (ou plusieurs) avec ce préfixe.")
            jetons.get().revoke()
            self.stdout.write(f"Jeton {revoquer}… révoqué.")
            return
        office = BureauForem.objects.filter(nom=bureau).first()
        if office is None:
            raise CommandError("Bureau du Forem inconnu.")
        creator = User.objects.filter(email=par, is_superuser=True).first()
        if creator is None:
            raise CommandError("--par doit désigner un superutilisateur.")
        _jeton, raw = JetonAPI.issue(bureau=office, nom=nom, created_by=creator)
        self.stdout.write(raw)
