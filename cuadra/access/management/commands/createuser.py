import getpass

from django.core.management.base import BaseCommand, CommandError

from cuadra.access import services
from cuadra.access.models import Role
from cuadra.core.errors import DomainError
from cuadra.tenancy.models import Company


class Command(BaseCommand):
    help = "Create a user, optionally giving them a role in a company."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password")
        parser.add_argument("--email", default="")
        parser.add_argument("--company", help="company code, e.g. DEMO")
        parser.add_argument("--role", default="owner", help="role key (owner, accountant, ...)")
        parser.add_argument("--superuser", action="store_true",
                            help="also a Django admin superuser")

    def handle(self, *args, **o):
        password = o["password"] or getpass.getpass("Password: ")
        company = roles = None
        if o["company"]:
            company = Company.objects.filter(code=o["company"].upper()).first()
            if company is None:
                raise CommandError(f"No company {o['company']}")
            roles = list(Role.objects.filter(organization=company.organization, key=o["role"]))
            if not roles:
                raise CommandError(f"No role {o['role']} in {company.code}")
        try:
            user = services.user_create(company=company, actor=None, username=o["username"],
                                        password=password, email=o["email"],
                                        roles=roles or [])
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        if o["superuser"]:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        self.stdout.write(self.style.SUCCESS(f"Created user {user.username} (id {user.pk})"))
