"""Keep secrets out of logs: known secret values, credential headers and fields."""

import base64
import html
import re
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape

MASK = "***"
SENSITIVE_HEADERS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
        "x-api-key",
        "api-key",
        "x-auth-token",
    }
)
# Field names whose values are credentials, in JSON, XML, forms and query strings.
SENSITIVE_NAMES = (
    r"password|passwd|pwd|secret|secret_key|api_?key|apikey|token|access_token|"
    r"private_?key|client_secret|motdepasse"
)
_JSON_FIELD = re.compile(
    rf'("(?:[\w-]*?)(?:{SENSITIVE_NAMES})"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE
)
_XML_FIELD = re.compile(
    rf"(<((?:[\w.-]+:)?(?:[\w-]*?)(?:{SENSITIVE_NAMES}))(?:\s[^>]*)?>)([^<]*)(</\2>)",
    re.IGNORECASE,
)
_FORM_FIELD = re.compile(rf"((?:^|[?&;])(?:[\w-]*?)(?:{SENSITIVE_NAMES})=)[^&;\s]*", re.IGNORECASE)


def _forms(secret):
    """``secret`` as it can appear in a text: as is, URL-, base64-, XML- and
    HTML-encoded, and quoted by Python (error texts quote bodies with repr)."""
    python = secret.encode("unicode_escape").decode()
    return {
        secret,
        quote(secret, safe=""),
        quote_plus(secret),
        base64.b64encode(secret.encode()).decode(),
        escape(secret),
        escape(secret, {"'": "&apos;", '"': "&quot;"}),
        html.escape(secret),
        python,
        python.replace("'", "\\'"),
        python.replace('"', '\\"'),
        repr(secret.encode())[2:-1],
    }


class Redactor:
    """Masks ``secrets`` (and their encoded forms) and credential fields in text."""

    def __init__(self, secrets=()):
        variants = set()
        for secret in secrets:
            if not secret or len(str(secret)) < 3:
                continue
            variants.update(_forms(str(secret)))
        # Longest first, so a secret containing another one is masked whole.
        self.secrets = sorted(variants, key=len, reverse=True)

    def text(self, value):
        if value is None:
            return ""
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        value = str(value)
        for secret in self.secrets:
            value = value.replace(secret, MASK)
        value = _JSON_FIELD.sub(rf'\1"{MASK}"', value)
        value = _XML_FIELD.sub(rf"\1{MASK}\4", value)
        return _FORM_FIELD.sub(rf"\1{MASK}", value)

    def headers(self, headers):
        return {
            name: MASK if name.lower() in SENSITIVE_HEADERS else self.text(value)
            for name, value in (headers or {}).items()
        }
