"""Django's makemessages, also reading `_l(...)`: the modules that need both gettext and gettext_lazy import the
lazy one as `_l` (reprise/forms.py, reprise/entites.py…), which xgettext does not know by itself."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
