"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import email
import socket
import threading
import time
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, delay=0.0):
        self.messages = []
        self.delay = delay
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # a slow server, so a batch is still in flight when a worker dies
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 OK"

    def count(self):
        with self._lock:
            return len(self.messages)

    def message_ids(self):
        with self._lock:
            return [m["Message-ID"] for m in self.messages]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port=None, delay=0.0):
    sink = Sink(delay)
    controller = Controller(sink, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return sink, controller
