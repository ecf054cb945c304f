"""The one rule for every address a user supplies (an article's `url`, an entity's
`links`, `base_url` in site.yaml): only a web address becomes a link. A
`javascript:` or `data:` address in an href runs script when clicked, so an
allow-list, never a block-list."""

from __future__ import annotations

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    """An absolute http(s) address with a host, without spaces or control characters."""
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed [IPv6] host, say
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)
