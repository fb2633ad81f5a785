"""A real SMTP server on a fixed loopback port (aiosmtpd), started and stopped by the test: what it accepted,
one entry per message, with its Message-ID."""
from __future__ import annotations

import email
import threading

from aiosmtpd.controller import Controller

from .server import free_port


class SmtpReceiver:
    def __init__(self):
        self.port = free_port()
        self.received: list[email.message.Message] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, _server, _session, envelope):  # aiosmtpd's handler hook
        with self._lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        with self._lock:
            return [message["Message-ID"] for message in self.received]
