"""Sending one mail over SMTP (the standard smtplib) and reading the server's answer.

``send`` returns the server's acceptance (code and text of its answer to DATA) or raises
``Refused`` with the answer and whether it is temporary (4xx, or no answer at all: the
connection failed) or permanent (5xx).
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from services.registry.settings import RegistrySettings


@dataclass(frozen=True)
class Answer:
    code: int
    text: str


class Refused(Exception):
    def __init__(self, code: int | None, text: str) -> None:
        super().__init__(f"{code or ''} {text}".strip())
        self.code = code
        self.text = text

    @property
    def temporary(self) -> bool:
        return self.code is None or 400 <= self.code < 500


@dataclass(frozen=True)
class Outgoing:
    to: str
    subject: str
    text: str
    html: str
    attachments: list[tuple[str, str, bytes]]  # filename, media type, bytes


def build_message(sender: str, mail: Outgoing) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip("> "))
    message["Content-Language"] = "fr"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    for filename, media_type, data in mail.attachments:
        maintype, _, subtype = media_type.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message


def _answer(reply: bytes | str) -> str:
    return (reply.decode(errors="replace") if isinstance(reply, bytes) else reply).strip()


@dataclass(frozen=True)
class Server:
    """Where to send: the configured relay, or the development catch-all (plain, no login)."""

    host: str
    port: int
    tls: bool = False
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout: float = 30.0

    @classmethod
    def of(cls, settings: RegistrySettings) -> Server:
        return cls(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_tls,
            settings.smtp_starttls and not settings.smtp_tls,
            settings.smtp_username,
            settings.smtp_password,
            settings.smtp_timeout_seconds,
        )


def _connect(server: Server) -> smtplib.SMTP:
    if server.tls:
        context = ssl.create_default_context()
        return smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
    smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
    if server.starttls:
        smtp.starttls(context=ssl.create_default_context())
    return smtp


def send(server: Server, sender: str, mail: Outgoing) -> Answer:
    """One message to one recipient; the answer to DATA is the proof of acceptance."""
    message = build_message(sender, mail)
    envelope_from = sender.rsplit("<", 1)[-1].rstrip(">").strip()
    try:
        with _connect(server) as smtp:
            smtp.ehlo()
            if server.username:
                smtp.login(server.username, server.password)
            code, reply = smtp.mail(envelope_from)
            if code != 250:
                raise Refused(code, _answer(reply))
            code, reply = smtp.rcpt(mail.to)
            if code not in (250, 251):
                raise Refused(code, _answer(reply))
            # smtplib fixes line ends of str only: bytes go with CRLF already
            code, reply = smtp.data(message.as_bytes(policy=email.policy.SMTP))
            if code != 250:
                raise Refused(code, _answer(reply))
            return Answer(code, _answer(reply))
    except Refused:
        raise
    except smtplib.SMTPResponseException as exc:  # DATA refused, login refused…
        raise Refused(exc.smtp_code, _answer(exc.smtp_error)) from exc
    except (smtplib.SMTPException, OSError) as exc:  # no server, cut connection, TLS…
        raise Refused(None, f"{type(exc).__name__}: {exc}") from exc
