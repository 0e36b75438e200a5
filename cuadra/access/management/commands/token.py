from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cuadra.access import services
from cuadra.access.models import ApiToken


class Command(BaseCommand):
    help = "Create or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token once")
        create.add_argument("--user", required=True)
        create.add_argument("--name", default="cli")
        revoke = sub.add_parser("revoke", help="revoke a token")
        revoke.add_argument("--prefix", help="the first characters the token list shows")
        revoke.add_argument("--id", type=int)

    def handle(self, *args, **o):
        if o["action"] == "create":
            user = get_user_model().objects.filter(username=o["user"]).first()
            if user is None:
                raise CommandError(f"No user {o['user']}")
            _, raw = services.token_create(user=user, actor=None, name=o["name"])
            self.stdout.write(raw)
            return
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        if o["id"]:
            tokens = tokens.filter(pk=o["id"])
        elif o["prefix"]:
            tokens = tokens.filter(prefix__startswith=o["prefix"][:10])
        else:
            raise CommandError("Give --prefix or --id")
        found = list(tokens)
        if len(found) != 1:
            raise CommandError(f"{len(found)} active tokens match; name exactly one")
        services.token_revoke(token=found[0], actor=None)
        self.stdout.write(self.style.SUCCESS(f"Revoked {found[0].prefix}…"))
