"""Notifications (reviewer invitations, reminders, decisions) through a pluggable notifier.

The default writes each message as an ``.eml`` file into ``DATA_DIR/outbox`` (a school's
server often has no mail relay; an administrator can read or forward them). Set
``SANDYQ_NOTIFIER=smtp`` with ``SANDYQ_SMTP_HOST``/``PORT``/``FROM`` to send mail instead.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from catalogue.models import utcnow


class Notifier(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


class OutboxNotifier:
    def __init__(self, folder: Path, sender: str) -> None:
        self.folder = folder
        self.sender = sender

    def send(self, to: str, subject: str, body: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}-{abs(hash((to, subject))) % 10**8:08d}.eml"
        path.write_bytes(bytes(_message(self.sender, to, subject, body)))

    def sent(self) -> list[EmailMessage]:
        """Every message in the outbox, oldest first (for administrators and tests)."""
        from email import message_from_bytes, policy

        return [
            message_from_bytes(path.read_bytes(), policy=policy.default)
            for path in sorted(self.folder.glob("*.eml"))
        ]


class SmtpNotifier:
    def __init__(self, host: str, port: int, sender: str) -> None:
        self.host, self.port, self.sender = host, port, sender

    def send(self, to: str, subject: str, body: str) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(_message(self.sender, to, subject, body))


def init_app(app: Flask) -> None:
    config = app.config
    notifier: Notifier
    if config["NOTIFIER"] == "smtp":
        notifier = SmtpNotifier(config["SMTP_HOST"], int(config["SMTP_PORT"]), config["SMTP_FROM"])
    else:
        notifier = OutboxNotifier(Path(config["DATA_DIR"]) / "outbox", config["SMTP_FROM"])
    app.extensions["sandyq.notifier"] = notifier


def notifier() -> Notifier:
    found: Notifier = current_app.extensions["sandyq.notifier"]
    return found
