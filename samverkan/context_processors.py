from . import navigation as nav


def navigation(request):
    """The main navigation for this user (entries registered by each app, visibility from the policy)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_navigation": []}
    return {"main_navigation": nav.items_for(user, request.path)}
