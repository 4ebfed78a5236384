"""`{% page_query "sida" 3 %}`: the current query string with one page parameter replaced (for
templates/_pagination.html), so a list's filters and the other list's page survive paging."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, param: str, number: int) -> str:
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
