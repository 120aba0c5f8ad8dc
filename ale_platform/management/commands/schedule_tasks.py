from django.core.management.base import BaseCommand

from ale_platform.dates import short_time
from ale_platform.scheduling import RECURRING, schedule_all


class Command(BaseCommand):
    help = "Planifie la prochaine exécution des tâches récurrentes (résumé quotidien, rappels). Idempotent."

    def handle(self, *args, **options):
        scheduled = schedule_all()
        for item in RECURRING:
            state = "planifiée" if item.task_path in scheduled else "déjà planifiée (ou backend sans report)"
            self.stdout.write(f"{item.task_path} à {short_time(item.at)} : {state}")
