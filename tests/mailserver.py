"""A real SMTP server in-process (aiosmtpd) for the mail tests: it keeps what it received and
answers what a test scripts (``refuse(["451 …", "550 …"])`` for the next recipients)."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def body(self, kind: str = "plain") -> str:
        part = self.message.get_body(preferencelist=(kind,))
        assert part is not None, f"no {kind} part"
        return str(part.get_content())

    def attachments(self) -> list[tuple[str, bytes]]:
        out = []
        for part in self.message.iter_attachments():
            content = part.get_payload(decode=True)
            assert isinstance(content, bytes)
            out.append((part.get_filename() or "", content))
        return out


@dataclass
class ScriptedHandler:
    received: list[Received] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)  # for the next RCPTs ("250 OK" accepts)

    def refuse(self, answers: list[str]) -> None:
        self.answers.extend(answers)

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if self.answers and not self.answers[0].startswith("2"):
            return self.answers.pop(0)
        if self.answers:  # a scripted acceptance
            self.answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return f"250 2.0.0 Ok: queued as T{len(self.received)}"


@contextmanager
def smtp_server() -> Iterator[tuple[ScriptedHandler, int]]:
    """The handler and the port; the server is stopped at the end (no thread left)."""
    handler = ScriptedHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
