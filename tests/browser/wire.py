"""Holding a Socket.IO reply on its way to a page, to force a race deterministically: the reply
(read by the server before some change) reaches the page after the change's broadcast, as on a
slow venue network or with several server processes."""

from __future__ import annotations

import re
from typing import Any


def hold_first_reply(page: Any, event: str, broadcast: str) -> dict[str, Any]:
    """Route the page's Socket.IO WebSockets through the test: on the socket that sends `event`,
    the server's reply to the first one waits until a `broadcast` has passed.

    Behind the released reply goes an Engine.IO ping: the page answers it (pong) only once it has
    handled the reply, since a socket's messages are handled in order, so `handled` says when the
    page has acted on it."""
    seen: dict[str, Any] = {"held": 0, "released": 0, "handled": 0}
    request = re.compile(rf'^42(/\w+),(\d+)\["{event}"[,\]]')

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        mine: dict[str, Any] = {"reply": None, "held": None, "done": False, "probe": False}

        def from_page(message: Any) -> None:
            asked = request.match(message) if isinstance(message, str) else None
            if asked and mine["reply"] is None:
                mine["reply"] = f"43{asked.group(1)},{asked.group(2)}["
            if mine["probe"] and message == "3":  # the pong to the test's ping: not the server's
                mine["probe"] = False
                seen["handled"] += 1
                return
            server.send(message)

        def from_server(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if not mine["done"] and mine["reply"] and text.startswith(mine["reply"]):
                mine["held"], mine["done"] = message, True
                seen["held"] += 1
                return
            ws.send(message)
            if mine["held"] is not None and f'["{broadcast}"' in text:
                ws.send(mine["held"])  # now older than the broadcast the page has just taken
                mine["held"], mine["probe"] = None, True
                seen["released"] += 1
                ws.send("2")

        ws.on_message(from_page)
        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    return seen


def until_held(page: Any, seen: dict[str, Any]) -> None:
    for _ in range(200):  # the reply, made before the change, is held on its way (10 s at most)
        if seen["held"]:
            break
        page.wait_for_timeout(50)
    assert seen["held"] == 1 and not seen["released"]


def until_handled(page: Any, seen: dict[str, Any]) -> None:
    for _ in range(200):  # the broadcast went by, then the older reply (10 s at most)
        if seen["handled"]:
            break
        page.wait_for_timeout(50)
    assert seen["released"] == seen["handled"] == 1


def hold_acks(page: Any, event: str, marker: str) -> dict[str, Any]:
    """Route the page's Socket.IO WebSockets through the test: count its `event` emits on
    /participant, and keep back the server's acks that carry `marker` (a field of that ack) while
    `seen["hold"]` is true. Each kept ack is (its page side, message): `release(seen)` delivers those
    of the connection the page still has (`seen["page"]`, the latest)."""
    seen: dict[str, Any] = {"sent": 0, "held": [], "hold": True, "page": None}

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        seen["page"] = ws

        def from_page(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if text.startswith("42/participant,") and f'["{event}"' in text:
                seen["sent"] += 1
            server.send(message)

        def from_server(message: Any) -> None:
            text = message if isinstance(message, str) else ""
            if seen["hold"] and text.startswith("43/participant,") and marker in text:
                seen["held"].append((ws, message))  # stored by the server; its ack kept back
                return
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)

    page.route_web_socket(re.compile(r"/socket\.io/"), route)
    return seen


def release(seen: dict[str, Any]) -> None:
    """Stop holding acks, and deliver those held on the connection the page still has."""
    seen["hold"] = False
    for ws, message in seen["held"]:
        if ws is seen["page"]:
            ws.send(message)


def until(page: Any, done: Any) -> None:
    """Wait (10 s at most) until `done()` holds for what the routed WebSocket saw."""
    for _ in range(200):
        if done():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the page's WebSocket did not get there")
