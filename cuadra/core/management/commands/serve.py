from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the web app, /graphql and /admin."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--reload", action="store_true",
                            help="restart when code changes (development)")

    def handle(self, *args, **options):
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            f"\nCuadra is starting on {base}\n"
            f"  web app   {base}/\n"
            f"  GraphQL   {base}/graphql\n"
            f"  admin     {base}/admin\n"
            f"  demo login: demo / demo (after `cuadra demo`)\n\n"
        )
        call_command("runserver", f"{options['host']}:{options['port']}",
                     use_reloader=options["reload"], use_threading=True)
