"""The development catch-all: a local SMTP server (aiosmtpd) keeping every mail it receives in
the ``dev_mailbox`` table, so ``make run`` really sends and nothing leaves the machine."""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import socket
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from fastapi import FastAPI

from services.registry.models import DevMail


class KeepingHandler:
    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        from services.registry.notifications.worker import session_scope

        data = envelope.content if isinstance(envelope.content, bytes) else b""
        message = email.message_from_bytes(data, policy=email.policy.default)
        with session_scope(self.app) as db:
            row = DevMail(
                mail_from=str(envelope.mail_from or ""),
                rcpt_tos=list(envelope.rcpt_tos),
                subject=str(message.get("Subject", ""))[:300],
                data=data,
            )
            db.add(row)
            db.flush()
            number = row.id
        return f"250 Message accepted for delivery (development mailbox, n° {number})"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_catch_all(app: FastAPI, port: int) -> Controller:
    """Listening on loopback only; ``port`` 0 takes a free one (aiosmtpd needs a number)."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    controller = Controller(KeepingHandler(app), hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller


@dataclass(frozen=True)
class ReadMail:
    """A received mail as the page shows it."""

    subject: str
    sender: str
    to: str
    text: str
    html: str
    attachments: list[dict[str, Any]]


def read_mail(data: bytes) -> ReadMail:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    files = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True) or b""
        assert isinstance(content, bytes)
        files.append(
            {
                "filename": part.get_filename() or "",
                "media_type": part.get_content_type(),
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )
    return ReadMail(
        subject=str(message.get("Subject", "")),
        sender=str(message.get("From", "")),
        to=str(message.get("To", "")),
        text=text.get_content() if text is not None else "",
        html=html.get_content() if html is not None else "",
        attachments=files,
    )


def attachment(data: bytes, index: int) -> tuple[str, str, bytes] | None:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    parts = list(message.iter_attachments())
    if index >= len(parts):
        return None
    content = parts[index].get_payload(decode=True) or b""
    assert isinstance(content, bytes)
    return parts[index].get_filename() or "piece-jointe", parts[index].get_content_type(), content
