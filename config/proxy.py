"""The visitor's address behind reverse proxies.

Behind nginx, `REMOTE_ADDR` is the proxy's address: the per-address limits (logins, password
resets, prix du public) would count every visitor as one. With `TRUSTED_PROXY_COUNT` set to the
number of proxies in front of the application, the visitor's address is read from
`X-Forwarded-For`, counting that many entries from its right end: each trusted proxy appends the
address it received the request from, so entries further left were written by the client and
are never trusted.
"""

from django.conf import settings


class TrustedProxyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = settings.TRUSTED_PROXY_COUNT
        if proxies > 0:
            forwarded = [
                part.strip()
                for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            if len(forwarded) >= proxies:
                request.META["REMOTE_ADDR"] = forwarded[-proxies]
        return self.get_response(request)
