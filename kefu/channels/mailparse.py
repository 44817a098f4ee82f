"""Reading an incoming mail: the standard `email` package (policy default), Chinese charsets, nh3.

Pure functions, no database: `parse(raw)` returns a `ParsedMail` or raises `Unreadable` with a
reason a person can act on. Mail from Chinese senders often declares GB2312 while using GBK
characters, or sends 8-bit headers without encoding: every declared GB charset is read as its
superset GB18030, and undeclared bytes are tried as UTF-8, GB18030 and Big5 in that order.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.header import decode_header
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime

import nh3

# Declared charsets read as their superset (GB2312 ⊂ GBK ⊂ GB18030; Big5 with HKSCS extensions).
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "big5": "big5hkscs",
    "x-big5": "big5hkscs",
    "ks_c_5601-1987": "cp949",
}
FALLBACK_CHARSETS = ("utf-8", "gb18030", "big5hkscs")

# A subject tag naming the record: [1000021] for a notification, [KS00000001] for a complaint.
NUMBER_TAG = re.compile(r"\[\s*((?:KS)?\d{4,12})\s*\]", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]+>")


class Unreadable(Exception):
    """The mail cannot be read into a record; the reason is shown to the person who looks at it."""


@dataclass
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class ParsedMail:
    message_id: str
    from_address: str
    from_name: str
    subject: str
    text: str
    html: str  # sanitised
    sent_at: datetime | None
    in_reply_to: str
    references: list[str]
    is_automatic: bool
    automatic_reason: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this mail answers, nearest first."""
        ids = [self.in_reply_to] if self.in_reply_to else []
        return ids + [r for r in reversed(self.references) if r not in ids]

    def subject_number(self) -> str:
        match = NUMBER_TAG.search(self.subject)
        return match.group(1).upper() if match else ""


def clean(text: str) -> str:
    """Text any database stores: undecodable leftovers (lone surrogates) replaced, NUL dropped."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes to text by the declared charset (read as its superset), else by trying the usual ones."""
    tried = []
    if charset:
        name = charset.strip().strip('"').lower()
        tried.append(CHARSET_ALIASES.get(name, name))
    tried += [c for c in FALLBACK_CHARSETS if c not in tried]
    for name in tried:
        try:
            return data.decode(name)
        except (LookupError, UnicodeDecodeError, ValueError, TypeError):
            continue
    return data.decode("gb18030", errors="replace")


def decode_header_value(value: str) -> str:
    """A raw header (RFC 2047 encoded-words, or 8-bit bytes smuggled as surrogates) to text."""
    if value is None:
        return ""
    value = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in value):  # undeclared 8-bit header bytes
        value = decode_bytes(value.encode("ascii", "surrogateescape"), None)
    try:
        parts = decode_header(value)
    except Exception:
        return " ".join(value.split())
    out = []
    for chunk, charset in parts:
        out.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    return " ".join("".join(out).split())


def _raw_headers(message: EmailMessage) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in message.raw_items():
        headers.setdefault(name.lower(), str(value))
    return headers


def _message_ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value or "")


def sanitise_html(html: str) -> str:
    """Safe HTML for showing a mail: no scripts, styles, event handlers or remote-content tricks."""
    return nh3.clean(html, link_rel="noopener noreferrer nofollow")


def html_to_text(html: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</tr>|</li>", "\n", html)
    text = nh3.clean(text, tags=set())
    text = html_lib.unescape(text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def automatic_reason(headers: dict[str, str], from_address: str, content_type: str) -> str:
    """Why a mail is automatic (an out-of-office reply, a bounce, a list) — never answered."""
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = headers.get("precedence", "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress", "x-failed-recipients"):
        if name in headers:
            return name
    if content_type == "multipart/report":
        return "multipart/report"
    local = from_address.split("@", 1)[0].lower()
    if local in ("mailer-daemon", "postmaster", "noreply", "no-reply"):
        return f"From: {from_address}"
    if headers.get("return-path", "").strip() == "<>":
        return "Return-Path: <>"
    return ""


def parse(raw: bytes) -> ParsedMail:
    """Read one RFC 5322 message. Raises Unreadable when there is no message to speak of, and for
    anything the standard library cannot cope with, so the mail goes to a person, never lost."""
    try:
        return _parse(raw)
    except Unreadable:
        raise
    except Exception as exc:
        raise Unreadable(f"{type(exc).__name__}: {exc}") from exc


def _parse(raw: bytes) -> ParsedMail:
    if not raw or not raw.strip():
        raise Unreadable("empty message")
    try:
        message = message_from_bytes(raw, policy=policy.default)
    except Exception as exc:  # the parser is lenient; this is a last resort
        raise Unreadable(f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(message, EmailMessage):
        raise Unreadable("not a message")
    headers = _raw_headers(message)
    if not headers:
        raise Unreadable("no headers")
    from_raw = decode_header_value(headers.get("from", ""))
    addresses = [(n, a) for n, a in getaddresses([from_raw]) if a and "@" in a]
    if not addresses:
        raise Unreadable(f"no sender address in From: {from_raw[:200]!r}")
    from_name, from_address = addresses[0]
    ids = _message_ids(headers.get("message-id", ""))
    message_id = ids[0] if ids else f"<{hashlib.sha256(raw).hexdigest()}@kefu.no-message-id>"
    sent_at = None
    try:
        if headers.get("date"):
            sent_at = parsedate_to_datetime(headers["date"])
            if sent_at.tzinfo is None:
                sent_at = None
    except (TypeError, ValueError, IndexError):
        sent_at = None
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[Attachment] = []
    defects = [type(d).__name__ for d in message.defects]
    for part in message.walk():
        if part.is_multipart():
            defects += [type(d).__name__ for d in part.defects]
            continue
        try:
            ctype = part.get_content_type()
            disposition = (part.get_content_disposition() or "").lower()
            filename = part.get_filename()
        except Exception:  # a header too broken to read: keep the part as an attachment
            ctype, disposition, filename = "application/octet-stream", "attachment", None
        try:
            decoded = part.get_payload(decode=True)
        except Exception:
            decoded = None
        if isinstance(decoded, bytes):
            payload = decoded
        else:
            raw_payload = part.get_payload()
            payload = raw_payload.encode("utf-8", "surrogateescape") if isinstance(raw_payload, str) else b""
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            text = decode_bytes(payload, part.get_content_charset())
            (texts if ctype == "text/plain" else htmls).append(text)
            continue
        if ctype == "message/delivery-status":
            continue
        name = decode_header_value(filename) if filename else ""
        name = (name or f"attachment-{len(attachments) + 1}").replace("/", "_").replace("\\", "_")[:200]
        attachments.append(Attachment(name=clean(name), content_type=clean(ctype)[:100], content=payload))
    html = sanitise_html("\n".join(htmls)) if htmls else ""
    text = "\n\n".join(t.strip() for t in texts if t.strip()) or (html_to_text(html) if html else "")
    content_type = message.get_content_type()
    reason = automatic_reason(headers, from_address, content_type)
    in_reply = _message_ids(headers.get("in-reply-to", ""))
    return ParsedMail(
        message_id=clean(message_id)[:255],
        from_address=clean(from_address).strip().lower()[:254],
        from_name=clean(from_name)[:200],
        subject=clean(decode_header_value(headers.get("subject", "")))[:255],
        text=clean(text),
        html=clean(html),
        sent_at=sent_at,
        in_reply_to=clean(in_reply[0])[:255] if in_reply else "",
        references=[clean(r)[:255] for r in _message_ids(headers.get("references", ""))][-20:],
        is_automatic=bool(reason),
        automatic_reason=clean(reason),
        attachments=attachments,
        defects=defects,
    )
