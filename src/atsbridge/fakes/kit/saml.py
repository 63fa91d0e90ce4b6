"""The OAuth2 SAML 2.0 bearer grant for fakes (SAP SuccessFactors' ``/oauth/token``): the token request's
signed assertion is parsed with ``xml.etree.ElementTree`` and checked as a vendor would: the enveloped
XML-DSig signature (RSA-SHA256 over the canonical ``SignedInfo``, SHA-256 digest of the canonical assertion
without its signature) against the registered client's public key, the issuer/audience, the recipient, the
validity window and the API user. Tokens are then bearer tokens; legacy Basic ``user@company`` also passes.

Canonicalization is the standard library's C14N 2.0 (the same bytes as Exclusive C14N for assertions whose
namespaces are declared where they are used, as the connector kit builds them).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import parse_qs

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from atsbridge.core.timeutil import parse_ts
from atsbridge.fakes.kit.auth import Auth, Principal, basic_credentials

SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
GRANT = "urn:ietf:params:oauth:grant-type:saml2-bearer"


def _c14n(element: ET.Element) -> bytes:
    """Canonical bytes of a parsed element. ElementTree forgets the document's prefixes and re-serialises with
    its process-wide registry, so the usual SAML prefixes are registered here: the check then gives the same
    bytes in a process that never imported the signer (``atsbridge fake-ats`` beside the API)."""
    ET.register_namespace("saml2", SAML.strip("{}"))
    ET.register_namespace("ds", DS.strip("{}"))
    return ET.canonicalize(ET.tostring(element, encoding="unicode"), strip_text=False).encode()


def check_assertion(encoded: str, key: rsa.RSAPublicKey, *, audience: str, recipient: str) -> str:
    """The API user (NameID) of a valid assertion; ValueError naming what is wrong otherwise."""
    try:
        root = ET.fromstring(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ET.ParseError, ValueError):
        raise ValueError("the assertion is not base64 SAML XML") from None
    signature = root.find(f"{DS}Signature")
    signed_info = signature.find(f"{DS}SignedInfo") if signature is not None else None
    value = signature.findtext(f"{DS}SignatureValue") if signature is not None else None
    if signature is None or signed_info is None or not value:
        raise ValueError("the assertion is not signed")
    try:
        key.verify(base64.b64decode(value), _c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        raise ValueError("the assertion's signature does not match the registered certificate") from None
    root.remove(signature)
    digest = base64.b64encode(hashlib.sha256(_c14n(root)).digest()).decode()
    if signed_info.findtext(f"{DS}Reference/{DS}DigestValue") != digest:
        raise ValueError("the assertion was changed after it was signed")
    if (
        root.findtext(f"{SAML}Issuer") != audience
        or root.findtext(f"{SAML}Conditions/{SAML}AudienceRestriction/{SAML}Audience") != audience
    ):
        raise ValueError(f"the assertion's issuer and audience must be {audience}")
    data = root.find(f"{SAML}Subject/{SAML}SubjectConfirmation/{SAML}SubjectConfirmationData")
    if data is None or data.get("Recipient") != recipient:
        raise ValueError("the assertion's recipient is not this token URL")
    until = (root.find(f"{SAML}Conditions") or ET.Element("x")).get("NotOnOrAfter", "")
    try:
        expired = parse_ts(until) <= datetime.now(UTC)
    except ValueError:
        expired = True
    if expired:
        raise ValueError("the assertion has expired")
    user = root.findtext(f"{SAML}Subject/{SAML}NameID")
    if not user:
        raise ValueError("the assertion names no user")
    return user


class SamlBearer(Auth):
    """``POST <path>`` (form: ``company_id``, ``client_id``, ``grant_type``, ``assertion``) issues bearer tokens
    valid ``ttl`` seconds for the registered client; ``password`` also admits Basic ``<user>@<company>``."""

    def __init__(self, *, company_id: str, client_id: str, user_id: str, public_key: rsa.RSAPublicKey,
                 audience: str, password: str | None = None, path: str = "/oauth/token",
                 ttl: float = 3600.0) -> None:  # fmt: skip
        self.company_id, self.client_id, self.user_id, self.public_key = company_id, client_id, user_id, public_key
        self.audience, self.password, self.path, self.ttl = audience, password, path, ttl
        self._lock = threading.Lock()
        self._tokens: dict[str, float] = {}
        self.issued = 0

    def check(self, request: Request) -> Principal | None:
        auth = request.headers.get("authorization", "")
        if auth.startswith("Bearer "):
            with self._lock:
                expires = self._tokens.get(auth.removeprefix("Bearer "), 0.0)
            return Principal(self.user_id) if expires > time.time() else None
        basic = basic_credentials(request)
        legacy = f"{self.user_id}@{self.company_id}"
        if self.password is not None and basic is not None and basic == (legacy, self.password):
            return Principal(self.user_id)
        return None

    def expire_tokens(self) -> None:
        with self._lock:
            self._tokens.clear()

    async def _token(self, request: Request) -> Response:
        raw = await request.body()
        form = {k: v[0] for k, v in parse_qs(raw.decode(errors="replace")[:65_536]).items()}
        if form.get("grant_type") != GRANT:
            return JSONResponse({"errorCode": "400", "errorMessage": "Unsupported grant type"}, status_code=400)
        if form.get("company_id") != self.company_id or form.get("client_id") != self.client_id:
            return JSONResponse({"errorCode": "401", "errorMessage": "Invalid company ID or API key"}, status_code=401)
        try:
            user = check_assertion(form.get("assertion", ""), self.public_key, audience=self.audience,
                                   recipient=str(request.url.replace(query="")))  # fmt: skip
        except ValueError as exc:
            return JSONResponse({"errorCode": "401", "errorMessage": f"Invalid SAML assertion: {exc}"}, status_code=401)
        if user != self.user_id:
            return JSONResponse({"errorCode": "401", "errorMessage": f"Unknown user {user}"}, status_code=401)
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = time.time() + self.ttl
            self.issued += 1
        return JSONResponse({"access_token": token, "token_type": "Bearer", "expires_in": int(self.ttl)})

    def routes(self) -> list[Route]:
        return [Route(self.path, self._token, methods=["POST"])]

    def describe(self) -> dict[str, str]:
        return {"company_id": self.company_id, "client_id": self.client_id, "user_id": self.user_id,
                "token_url": self.path}  # fmt: skip
