"""Account mails (confirmation, password reset, sign-in codes) speak for the
site by its name and public address. Without django.contrib.sites, allauth
would name the site after the request's host, and a mail would begin "Hello
from 127.0.0.1:8411!"."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


@dataclass(frozen=True)
class SiteIdentity:
    name: str
    domain: str
    url: str


def site_identity():
    return SiteIdentity(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc, url=settings.SITE_URL)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        # allauth puts its own current_site in first; ours replaces it.
        super().send_mail(template_prefix, email, {**context, "current_site": site_identity()})
