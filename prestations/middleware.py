"""A page that needs the law of a region without law rows says so (`rulebook.law.NoLaw`), instead of failing
with a server error or borrowing another region's law."""

from django.shortcuts import render

from .rulebook.law import NoLaw


class NoLawMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NoLaw):
            return render(request, "prestations/no_law.html", {"messages_no_law": exception.messages}, status=503)
        return None
