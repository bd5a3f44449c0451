"""The organisation's Ed25519 signing key for evidence files (RFC 8032), and their verification.

The audit chain's HMAC can be checked only by whoever holds AUDIT_KEY; an evidence file's
manifest is signed with a public-key signature instead, so an outside auditor checks it with the
public key alone (shown on the organisation page and carried in the ZIP). The private key is
derived from EVIDENCE_SIGNING_KEY: in production from the environment, elsewhere the instance's
own random key made at first start (keys.py), never written in the source.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # base64 of the Ed25519 signature of manifest.json's exact bytes
PUBLIC_KEY = "public-key.txt"  # "ed25519 " + base64 of the 32-byte public key
UNLISTED = frozenset({MANIFEST, SIGNATURE, PUBLIC_KEY})
_CONTEXT = b"incident-tracker evidence signing key v1\n"


class SigningKeyMissing(RuntimeError):
    """Production without EVIDENCE_SIGNING_KEY: evidence files cannot be signed."""


def private_key(secret: str) -> Ed25519PrivateKey:
    """The key derived from the configured secret: the same secret gives the same key on every
    web node, the scheduler and the command line."""
    if len(secret) < 32:
        raise SigningKeyMissing(
            "EVIDENCE_SIGNING_KEY must be set to a random value of 32+ characters to sign "
            "evidence files"
        )
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(_CONTEXT + secret.encode()).digest())


def public_key_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "ed25519 " + base64.b64encode(raw).decode("ascii")


def fingerprint(public_text: str) -> str:
    """SHA-256 of the raw public key, in groups of four hex digits, for reading aloud."""
    raw = base64.b64decode(public_text.split()[-1])
    digest = hashlib.sha256(raw).hexdigest()[:32]
    return ":".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def _public(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip().split()[-1]))


def manifest_entry(path: str, content: bytes) -> dict[str, Any]:
    return {"path": path, "sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}


def signed_zip(
    files: list[tuple[str, bytes]], header: dict[str, Any], key: Ed25519PrivateKey
) -> bytes:
    """The ZIP: the files, manifest.json (the header and every file's path, SHA-256 and size),
    its signature and the public key."""
    manifest = {**header, "public_key": public_key_text(key)}
    manifest["files"] = [manifest_entry(path, content) for path, content in files]
    body = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in files:
            archive.writestr(path, content)
        archive.writestr(MANIFEST, body)
        archive.writestr(SIGNATURE, base64.b64encode(key.sign(body)).decode("ascii") + "\n")
        archive.writestr(PUBLIC_KEY, public_key_text(key) + "\n")
    return out.getvalue()


@dataclass
class Verdict:
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    files: int = 0
    public_key: str = ""

    def refuse(self, problem: str) -> None:
        self.ok = False
        self.problems.append(problem)


def verify_zip(source: Path | bytes, expected_key: str | None = None) -> Verdict:
    """Check a ZIP made by `signed_zip`: the signature over manifest.json with the public key
    (the one expected, when given, else the one in the file), every listed file's hash and size,
    and no file that the manifest does not list."""
    verdict = Verdict()
    try:
        archive = zipfile.ZipFile(BytesIO(source) if isinstance(source, bytes) else source)
    except (OSError, zipfile.BadZipFile) as exc:
        verdict.refuse(f"not a readable ZIP file ({exc})")
        return verdict
    with archive:
        names = set(archive.namelist())
        missing = sorted(UNLISTED - names)
        if missing:
            verdict.refuse("missing " + ", ".join(missing))
            return verdict
        body = archive.read(MANIFEST)
        carried = archive.read(PUBLIC_KEY).decode("ascii", "replace").strip()
        verdict.public_key = (expected_key or carried).strip()
        if expected_key and expected_key.strip() != carried:
            verdict.refuse("the public key in the file is not the one expected")
        try:
            signature = base64.b64decode(archive.read(SIGNATURE).strip(), validate=True)
            _public(verdict.public_key).verify(signature, body)
        except (InvalidSignature, ValueError):
            verdict.refuse("the signature does not match manifest.json")
        try:
            listed = json.loads(body)["files"]
        except (ValueError, KeyError, TypeError):
            verdict.refuse("manifest.json cannot be read")
            return verdict
        seen: set[str] = set()
        for item in listed:
            path = str(item.get("path", ""))
            seen.add(path)
            if path not in names:
                verdict.refuse(f"{path}: listed but not in the file")
                continue
            content = archive.read(path)
            if hashlib.sha256(content).hexdigest() != item.get("sha256"):
                verdict.refuse(f"{path}: SHA-256 differs from the manifest")
            elif len(content) != item.get("bytes"):
                verdict.refuse(f"{path}: size differs from the manifest")
            verdict.files += 1
        for extra in sorted(names - seen - UNLISTED):
            verdict.refuse(f"{extra}: in the file but not listed in the manifest")
    return verdict
