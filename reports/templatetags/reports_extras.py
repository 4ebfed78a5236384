from django import template
from django.utils.translation import gettext as _

from samverkan.templatetags.money import format_kr

from .. import charts

register = template.Library()


@register.filter
def svg_chart(data):
    return charts.render(data)


@register.filter
def cell(value, kind):
    """A report cell as text by its column kind (money as "7 400 000 kr", counts with spaces)."""
    if value is None or value == "":
        return ""
    if kind == "kr":
        return format_kr(value)
    if kind == "int" and isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0").replace("-", "−")
    if kind == "pct" and isinstance(value, int | float):
        return f"{value} %"
    if kind == "num" and isinstance(value, int | float):
        return f"{value:,}".replace(",", "\u00a0").replace(".", ",")
    return value


@register.filter
def numeric(kind):
    return kind in ("int", "kr", "pct", "num")


@register.filter
def kind_at(columns, index):
    try:
        return columns[index][1]
    except (IndexError, TypeError):
        return "text"


# A table in the report's page and PDF lists at most this many rows (a report for the styrgrupp, not a
# register); the XLSX has every row. At 10 000 proposals a quarter can list 10 000 new ideas.
SHOWN_ROWS = 100


@register.filter
def shown_rows(rows):
    return rows[:SHOWN_ROWS]


@register.simple_tag
def rows_left_out(rows) -> str:
    """The note under a shortened table ("" when every row is shown)."""
    if len(rows) <= SHOWN_ROWS:
        return ""
    return _("Visar de första %(shown)s av %(total)s raderna – alla finns i Excel-filen.") % {
        "shown": cell(SHOWN_ROWS, "int"),
        "total": cell(len(rows), "int"),
    }
