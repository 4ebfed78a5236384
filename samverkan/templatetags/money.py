"""Money is whole kronor (int/Decimal), never float, and always shown as "7 400 000 kr"."""

from decimal import Decimal

from django import template

register = template.Library()
NBSP = "\xa0"


def format_kr(value, unit: bool = True) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        raise TypeError("Money must be int or Decimal, never float")
    amount = Decimal(value).quantize(Decimal(1))
    sign = "−" if amount < 0 else ""
    digits = f"{abs(int(amount)):,}".replace(",", NBSP)
    return f"{sign}{digits}{NBSP}kr" if unit else f"{sign}{digits}"


@register.filter(name="kr")
def kr(value):
    return format_kr(value)


@register.filter(name="kronor")
def kronor(value):
    """Without the unit, for table cells under a "kr" heading."""
    return format_kr(value, unit=False)
