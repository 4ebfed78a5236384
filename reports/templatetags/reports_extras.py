from django import template

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
