"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

import email
import socket
import threading
import time
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    """Keeps raw messages and parses them only when asked, so that the sink is
    never what a benchmark measures."""

    def __init__(self, delay=0.0):
        self.raw = []
        self.arrivals = []  # time.monotonic() of each message, for benchmarks
        self.delay = delay
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            time.sleep(self.delay)  # a slow server, so a batch is still in flight when a worker dies
        with self._lock:
            self.raw.append(envelope.content)
            self.arrivals.append(time.monotonic())
        return "250 OK"

    # A method, not a property: aiosmtpd inspects its handler's attributes on
    # every connection, which would parse everything received so far each time.
    def parsed(self):
        with self._lock:
            raw = list(self.raw)
        return [email.message_from_bytes(content, policy=policy.default) for content in raw]

    def clear(self):
        with self._lock:
            self.raw.clear()
            self.arrivals.clear()

    def count(self):
        with self._lock:
            return len(self.raw)

    def message_ids(self):
        return [m["Message-ID"] for m in self.parsed()]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(port=None, delay=0.0):
    sink = Sink(delay)
    controller = Controller(sink, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return sink, controller
