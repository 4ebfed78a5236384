from django.middleware.locale import LocaleMiddleware


class SwedishFirstLocaleMiddleware(LocaleMiddleware):
    """Swedish unless the user chose another language with the language switcher (cookie).

    The browser's Accept-Language is not used: municipal staff often have English browsers, and a Swedish
    public-sector service should not switch language behind their backs.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
