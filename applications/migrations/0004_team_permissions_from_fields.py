"""The team is read from the proposal's fields (responsible researcher, researchers, responsible
tjänsteperson), no longer from django-guardian rows that the services kept in step with them. This removes
the guardian rows that only repeated current team membership. Every other row on a proposal – a person no
longer on the team (changed in the admin, which never synced), or access granted to someone outside the
team – is kept: guardian holds the ad-hoc grants.

Reversing writes the team's rows again, as the services did."""

from django.db import migrations

TEAM_CODENAMES = ("view_proposal", "change_proposal")
BATCH = 1000


def _team_pairs(apps) -> set[tuple[str, int]]:
    """(proposal id as guardian stores it, user id) for every current team member."""
    Proposal = apps.get_model("applications", "Proposal")
    through = Proposal._meta.get_field("researchers").remote_field.through
    pairs = set()
    for pk, researcher_id, officer_id in Proposal.objects.values_list(
        "pk", "responsible_researcher_id", "responsible_officer_id"
    ).iterator():
        pairs.add((str(pk), researcher_id))
        if officer_id is not None:
            pairs.add((str(pk), officer_id))
    for proposal_id, user_id in through.objects.values_list("proposal_id", "user_id").iterator():
        pairs.add((str(proposal_id), user_id))
    return pairs


def _team_rows(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    content_type = ContentType.objects.filter(app_label="applications", model="proposal").first()
    if content_type is None:  # a fresh database: no permissions, no rows
        return content_type, UserObjectPermission.objects.none()
    rows = UserObjectPermission.objects.filter(
        content_type=content_type, permission__codename__in=TEAM_CODENAMES
    )
    return content_type, rows


def delete_team_rows(apps, schema_editor):
    _content_type, rows = _team_rows(apps)
    team = _team_pairs(apps)
    redundant = [
        pk
        for pk, object_pk, user_id in rows.values_list("pk", "object_pk", "user_id").iterator()
        if (object_pk, user_id) in team
    ]
    for start in range(0, len(redundant), BATCH):
        rows.model.objects.filter(pk__in=redundant[start : start + BATCH]).delete()


def write_team_rows(apps, schema_editor):
    content_type, rows = _team_rows(apps)
    if content_type is None:
        return
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type=content_type, codename__in=TEAM_CODENAMES))
    rows.model.objects.bulk_create(
        [
            rows.model(content_type=content_type, permission=permission, user_id=user_id, object_pk=object_pk)
            for object_pk, user_id in sorted(_team_pairs(apps))
            for permission in permissions
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_proposal_board_column_index"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(delete_team_rows, write_team_rows)]
