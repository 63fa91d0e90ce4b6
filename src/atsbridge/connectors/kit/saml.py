"""OAuth2 SAML 2.0 bearer grant (RFC 7522) with an assertion atsbridge builds and signs itself from the customer's
private key (SAP SuccessFactors' ``/oauth/token``; any vendor with the same grant reuses it).

The assertion is built with a real XML library (``xml.etree.ElementTree``), signed enveloped XML-DSig with
RSA-SHA256 and SHA-256 digests (``cryptography``). [gap] Canonicalization: the standard library implements
C14N 2.0, not Exclusive C14N 1.0 which the signature names; for this assertion both give the same bytes,
because every namespace is declared on the element that first uses it (the assertion's ``saml2``; the
``SignedInfo``'s ``ds``, canonicalized on its own) and there are no comments, prefixed attributes or
``xml:*`` attributes. Change ``canonical`` if a vendor ever refuses it.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from atsbridge.connectors.base import FormField, IntegrationInfo
from atsbridge.connectors.http.auth import OAuth2, OAuthToken, _expiry
from atsbridge.connectors.http.errors import RemoteError
from atsbridge.connectors.kit.auth import credential

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
GRANT = "urn:ietf:params:oauth:grant-type:saml2-bearer"


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical(element: ET.Element) -> bytes:
    """The canonical bytes of one element, its namespaces declared on itself (see the module docstring)."""
    return ET.canonicalize(ET.tostring(element, encoding="unicode"), strip_text=False).encode()


def _el(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    child.text = text
    return child


def load_key(pem: str) -> rsa.RSAPrivateKey:
    """The RSA private key of a PEM text (``BEGIN PRIVATE KEY`` or ``BEGIN RSA PRIVATE KEY``); a bare base64
    body, as SuccessFactors' X.509 page hands it out, is wrapped first."""
    text = pem.strip()
    if "-----BEGIN" not in text:
        text = "-----BEGIN PRIVATE KEY-----\n" + text + "\n-----END PRIVATE KEY-----"
    try:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise RemoteError("INTEGRATION.AUTHENTICATION_INVALID",
                          "the private key is not a PEM RSA private key (refused as a 401 before any request)",
                          status=401)  # fmt: skip
    return key


def assertion(
    key: rsa.RSAPrivateKey, *, issuer: str, client_id: str, user_id: str, recipient: str, audience: str,
    now: datetime | None = None, ttl: timedelta = timedelta(minutes=10),
) -> str:  # fmt: skip
    """A signed SAML 2.0 assertion for ``user_id``, base64-encoded as the token request wants it."""
    ET.register_namespace("saml2", SAML)
    ET.register_namespace("ds", DS)
    now = now or datetime.now(UTC)
    root = ET.Element(f"{{{SAML}}}Assertion", {"ID": f"_{uuid.uuid4().hex}", "IssueInstant": _iso(now),
                                                "Version": "2.0"})  # fmt: skip
    _el(root, SAML, "Issuer", issuer)
    subject = _el(root, SAML, "Subject")
    _el(subject, SAML, "NameID", user_id, Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified")
    confirmation = _el(subject, SAML, "SubjectConfirmation", Method="urn:oasis:names:tc:SAML:2.0:cm:bearer")
    _el(confirmation, SAML, "SubjectConfirmationData", NotOnOrAfter=_iso(now + ttl), Recipient=recipient)
    conditions = _el(root, SAML, "Conditions", NotBefore=_iso(now - timedelta(minutes=1)),
                     NotOnOrAfter=_iso(now + ttl))  # fmt: skip
    _el(_el(conditions, SAML, "AudienceRestriction"), SAML, "Audience", audience)
    statement = _el(root, SAML, "AuthnStatement", AuthnInstant=_iso(now), SessionIndex=uuid.uuid4().hex)
    _el(_el(statement, SAML, "AuthnContext"), SAML, "AuthnContextClassRef",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport")  # fmt: skip
    attrs = _el(root, SAML, "AttributeStatement")
    _el(_el(attrs, SAML, "Attribute", Name="api_key"), SAML, "AttributeValue", client_id)
    digest = base64.b64encode(hashlib.sha256(canonical(root)).digest()).decode()
    signed_info = ET.Element(f"{{{DS}}}SignedInfo")
    _el(signed_info, DS, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _el(signed_info, DS, "SignatureMethod", Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    reference = _el(signed_info, DS, "Reference", URI=f"#{root.get('ID')}")
    transforms = _el(reference, DS, "Transforms")
    _el(transforms, DS, "Transform", Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature")
    _el(transforms, DS, "Transform", Algorithm=EXC_C14N)
    _el(reference, DS, "DigestMethod", Algorithm="http://www.w3.org/2001/04/xmlenc#sha256")
    _el(reference, DS, "DigestValue", digest)
    value = key.sign(canonical(signed_info), padding.PKCS1v15(), hashes.SHA256())
    signature = ET.Element(f"{{{DS}}}Signature")
    signature.append(signed_info)
    _el(signature, DS, "SignatureValue", base64.b64encode(value).decode())
    root.insert(1, signature)  # after the Issuer, as the SAML schema orders it
    return base64.b64encode(ET.tostring(root, encoding="utf-8", xml_declaration=False)).decode()


class SamlBearerAuth(OAuth2):
    """:class:`OAuth2` whose token comes from the SAML bearer grant (cached, renewed before expiry, once on 401)."""

    def __init__(self, token_url: str, form: dict[str, str], key_pem: str, user_id: str, audience: str,
                 transport: httpx.AsyncBaseTransport | None) -> None:  # fmt: skip
        super().__init__(token_url=token_url, client_id=form["client_id"], client_secret="", transport=transport)
        self.form, self.key_pem, self.user_id, self.audience = form, key_pem, user_id, audience

    async def _fetch(self) -> OAuthToken:
        key = load_key(self.key_pem)
        signed = assertion(key, issuer=self.audience, client_id=self.client_id, user_id=self.user_id,
                           recipient=self.token_url, audience=self.audience)  # fmt: skip
        async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
            response = await client.post(self.token_url, data={**self.form, "grant_type": GRANT, "assertion": signed})
        if response.status_code in (400, 401, 403):
            raise RemoteError("INTEGRATION.AUTHENTICATION_INVALID",
                              f"the ATS refused the SAML assertion ({response.status_code}): {response.text[:200]}",
                              status=401)  # fmt: skip
        if response.status_code >= 400:
            raise RemoteError("REMOTE.SERVICE_UNAVAILABLE", f"token endpoint failed ({response.status_code})",
                              retryable=True)  # fmt: skip
        try:
            payload = response.json()
            return OAuthToken(str(payload["access_token"]), _expiry(payload))
        except (ValueError, KeyError, TypeError):
            raise RemoteError("REMOTE.UNKNOWN_HTTP_ERROR", "the token endpoint sent no access_token",
                              retryable=True) from None  # fmt: skip


@dataclass(frozen=True)
class SamlBearer:
    """The SAML bearer grant as a declared auth. ``token_path`` is on the API host (``base_url``'s origin);
    ``config["token_url"]`` overrides it. ``form``: token-request field -> credential field (SuccessFactors:
    ``company_id``, ``client_id``); the assertion's NameID is ``user``; ``private_key`` signs it.
    ``fallback``: a legacy HTTP Basic ``(user, password)`` pair used when no private key is given."""

    token_path: str
    form: tuple[tuple[str, FormField], ...]
    user: FormField
    private_key: FormField
    audience: str
    #: ``user_template`` formats the Basic user from the credentials (``"{user_id}@{company_id}"``).
    fallback: FormField | None = None
    user_template: str = "{user_id}"

    @property
    def fields(self) -> tuple[FormField, ...]:
        out = [f for _, f in self.form] + [self.user, self.private_key]
        return tuple(out + ([self.fallback] if self.fallback else []))

    @property
    def advanced_fields(self) -> tuple[FormField, ...]:
        return ()

    def build(self, info: IntegrationInfo, base_url: str, transport: httpx.AsyncBaseTransport | None) -> httpx.Auth:
        values = {f.key: credential(info, f) for f in self.fields}
        if not values[self.private_key.key] and self.fallback is not None and values[self.fallback.key]:
            return httpx.BasicAuth(self.user_template.format(**values), values[self.fallback.key])
        origin = httpx.URL(base_url).copy_with(path="/", query=None, fragment=None)
        token_url = str(info.config.get("token_url") or origin.join(self.token_path))
        form = {name: values[f.key] for name, f in self.form}
        return SamlBearerAuth(token_url, form, values[self.private_key.key], values[self.user.key], self.audience,
                              transport)  # fmt: skip
