"""What applications adds to samverkan (samverkan/registry.py): its start-page sections, its completeness
checks and its navigation entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register():
    from samverkan import navigation

    from . import checks, completeness, dashboard, permissions

    dashboard.register_sections()
    completeness.register(checks.basics_missing)
    completeness.register(checks.sections_missing)
    navigation.register(
        navigation.NavItem(
            _("Mina ärenden"), "applications:my_proposals", permissions.can_view_my_proposals, 10
        )
    )
    navigation.register(
        navigation.NavItem(_("Pipeline"), "applications:pipeline", permissions.can_view_pipeline, 20)
    )
    navigation.register(
        navigation.NavItem(_("Mallar"), "applications:template_list", permissions.can_view_pipeline, 70)
    )
