"""Sections that read the economy (budget.selectors.economy_overview) and follow-up
(followup.selectors.followup_summary, DisseminationEvent) as of the quarter's end."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ..periods import Quarter
from . import chart, register, section, table

LIGHTS = {
    "green": _("Grönt – målet är nått"),
    "yellow": _("Gult – nära målet"),
    "red": _("Rött – långt från målet"),
    "grey": _("Grått – inget värde ännu"),
}


@register("economy")
def economy(agreement, quarter: Quarter) -> dict:
    from budget.selectors import economy_overview

    overview = economy_overview(agreement, quarter.year, as_of=quarter.end)
    total = overview.total
    money = [
        (_("Ram"), "kr"),
        (_("Beviljat"), "kr"),
        (_("Kvar"), "kr"),
        (_("Utbetalt"), "kr"),
        (_("Förbrukat"), "kr"),
    ]
    line_rows = []
    for area in overview.areas:
        for row in area.lines:
            f = row.figures
            line_rows.append(
                [f"{row.line.name} ({area.name})", f.frame, f.committed, f.remaining, f.disbursed, f.spent]
            )
    municipality_rows = [
        [g.label, g.figures.committed, g.figures.disbursed, g.figures.spent] for g in overview.municipalities
    ]
    years = overview.years
    return section(
        "economy",
        _("Ekonomi: beviljat mot ram, utbetalt och förbrukat"),
        intro=_(
            "Budgetåret %(year)s per budgetpost och kommun, så som det såg ut %(end)s. Beviljat omfattar "
            "villkorade medfinansieringsbeslut."
        )
        % {"year": quarter.year, "end": quarter.end.isoformat()},
        facts=[
            (_("Ram %(year)s") % {"year": quarter.year}, total.frame, "kr"),
            (_("Beviljat"), total.committed, "kr"),
            (_("Kvar att bevilja"), total.remaining, "kr"),
            (_("Utbetalt"), total.disbursed, "kr"),
            (_("Förbrukat"), total.spent, "kr"),
        ],
        tables=[
            table(
                _("Per budgetpost"),
                [(_("Budgetpost (område)"), "text"), *money],
                line_rows,
                total=[
                    _("Summa"),
                    total.frame,
                    total.committed,
                    total.remaining,
                    total.disbursed,
                    total.spent,
                ],
            ),
            table(
                _("Per kommun"),
                [(_("Kommun"), "text"), (_("Beviljat"), "kr"), (_("Utbetalt"), "kr"), (_("Förbrukat"), "kr")],
                municipality_rows,
            ),
            table(_("Att uppmärksamma"), [(_("Iakttagelse"), "text")], [[w] for w in overview.warnings]),
        ],
        charts=[
            chart(
                "bar",
                _("Ram, beviljat och utbetalt per år"),
                [str(y.year) for y in years],
                [
                    (_("Ram"), [y.figures.frame for y in years]),
                    (_("Beviljat"), [y.figures.committed for y in years]),
                    (_("Utbetalt"), [y.figures.disbursed for y in years]),
                ],
                unit="kr",
            )
        ]
        if years
        else [],
    )


def _summary(agreement, quarter: Quarter):
    from followup.selectors import followup_summary

    return followup_summary(agreement, quarter.start, quarter.end, as_of=quarter.ends_at())


@register("followup")
def followup(agreement, quarter: Quarter) -> dict:
    summary = _summary(agreement, quarter)
    counts = [
        (_("Uppföljningar som förföll"), summary.reports_due),
        (_("varav försenade"), summary.reports_late),
        (_("Behandlade uppföljningar"), summary.reports_treated),
    ]
    return section(
        "followup",
        _("Uppföljning och avslut"),
        intro=_(
            "Uppföljningsrapporter med förfallodag under kvartalet, hur många som kom in för sent eller "
            "saknades "
            "vid kvartalets slut, rapporter som behandlades och projekt som styrgruppen avslutade."
        ),
        facts=[
            *((label, value, "int") for label, value in counts),
            (_("Avslutade projekt"), summary.closures, "int"),
        ],
        charts=[
            chart(
                "bar",
                _("Uppföljningar under kvartalet"),
                [str(label) for label, _v in counts],
                [(_("Antal"), [v for _l, v in counts])],
            )
        ],
    )


@register("events")
def dissemination_events(agreement, quarter: Quarter) -> dict:
    from followup.models import DisseminationEvent

    events = list(
        DisseminationEvent.objects.filter(
            agreement=agreement,
            starts_at__gte=quarter.starts_at(),
            starts_at__lt=quarter.ends_at(),
            created_at__lt=quarter.ends_at(),
        )
        .prefetch_related("presentations__proposal")
        .order_by("starts_at")
    )
    rows = []
    for event in events:
        titles = [p.proposal.title for p in event.presentations.all() if p.registered_at < quarter.ends_at()]
        rows.append(
            [
                timezone.localtime(event.starts_at).date().isoformat(),
                event.title,
                event.location,
                len(titles),
                ", ".join(titles),
            ]
        )
    return section(
        "events",
        _("Resultatspridning"),
        intro=_(
            "Resultatspridningstillfällen under kvartalet med projektens populärvetenskapliga presentationer."
        ),
        facts=[
            (_("Spridningstillfällen"), len(events), "int"),
            (_("Presentationer"), sum(r[3] for r in rows), "int"),
        ],
        tables=[
            table(
                _("Spridningstillfällen"),
                [
                    (_("Datum"), "date"),
                    (_("Rubrik"), "text"),
                    (_("Plats"), "text"),
                    (_("Presentationer"), "int"),
                    (_("Projekt"), "text"),
                ],
                rows,
            )
        ],
    )


@register("kpis")
def effect_goals(agreement, quarter: Quarter) -> dict | None:
    summary = _summary(agreement, quarter)
    rows = [
        [name, year, target, value, str(LIGHTS.get(light, light))]
        for name, year, target, value, light in summary.kpis
    ]
    lights = {key: sum(1 for *_r, light in summary.kpis if light == key) for key in LIGHTS}
    return section(
        "kpis",
        _("Effektmål och nyckeltal"),
        intro=_("Avtalets effektmål och nyckeltal för %(year)s: mål, utfall och status.")
        % {"year": quarter.year},
        facts=[
            (_("Mål nådda"), lights["green"], "int"),
            (_("Nära målet"), lights["yellow"], "int"),
            (_("Långt från målet"), lights["red"], "int"),
            (_("Utan värde ännu"), lights["grey"], "int"),
        ],
        tables=[
            table(
                _("Effektmål och nyckeltal"),
                [
                    (_("Mål"), "text"),
                    (_("År"), "text"),
                    (_("Målvärde"), "num"),
                    (_("Utfall"), "num"),
                    (_("Status"), "text"),
                ],
                rows,
            )
        ],
    )
