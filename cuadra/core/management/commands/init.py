from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or migrate the database (SQLite under var/ unless DATABASE_URL is set)."

    def handle(self, *args, **options):
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        db = settings.DATABASES["default"]
        self.stdout.write(self.style.SUCCESS(
            f"Database ready: {db['ENGINE'].rsplit('.', 1)[-1]} {db.get('NAME')}"))
