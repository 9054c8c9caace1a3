"""Who the client is, for the form's rate limit and the sign-in lockout alike."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# One IPv6 client (a home, a phone) is given a whole /64: its addresses count as one.
IPV6_CLIENT_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The client's address, trusting X-Forwarded-For only as far as our own proxies (TRUSTED_PROXY_COUNT).

    Entries that are not IP addresses are ignored (our proxies write addresses; anything else came
    from the client). An IPv6 client is named by its /64 network, so its many addresses share one count.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies:
        forwarded = [ip for ip in map(parsed, request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")) if ip]
        if len(forwarded) >= proxies:
            return client_name(forwarded[-proxies])
    address = parsed(remote)
    return client_name(address) if address else remote


def parsed(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_name(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False).network_address)
    return str(address)
