"""Build (or refresh) the demo world. Safe to run again: the same rows result."""

import importlib

from django.apps import apps
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from samverkan.demo import DEMO_PASSWORD, load


class Command(BaseCommand):
    help = "Bygger demovärlden (idempotent) och skriver ut demoinloggningarna."

    def handle(self, *args, **options):
        # The demo world is built through the services, which notify people: nobody should get mail.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            logins = load()
            # Later apps extend the world with their own demo module, in INSTALLED_APPS order (the
            # dependency order: applications, governance, budget, reports): first every app builds its
            # rows (`load`), then every app moves its lifecycle forward (`advance`, optional).
            modules = []
            for config in apps.get_app_configs():
                if config.name == "samverkan":
                    continue
                try:
                    modules.append(importlib.import_module(f"{config.name}.demo"))
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
            for module in modules:
                module.load()
            for module in modules:
                if hasattr(module, "advance"):
                    module.advance()
        self.stdout.write(self.style.SUCCESS("Demovärlden är klar."))
        self.stdout.write(f"\nDemoinloggningar – lösenord för alla: {DEMO_PASSWORD}\n")
        width = max(len(email) for email, _, _ in logins)
        for email, role, org in logins:
            self.stdout.write(f"  {email.ljust(width)}  {role} – {org}")
        self.stdout.write("")
