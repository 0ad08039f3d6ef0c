"""The waiting room on its own: requests handed over by one worker reach a free engine in another,
oldest first, with the client's connection; late or excess requests get a 503 problem."""
from __future__ import annotations

import json
import os
import socket
import threading
import uuid

import pytest

from service.server import waiting_room
from service.server.waiting_room import BYE, FREE, HANDOFF, JOB, LEAVE, WaitingRoom, read_message, send_message


@pytest.fixture()
def room():
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(f"\0quotes-test-room-{uuid.uuid4().hex}")
    listener.listen(8)
    room = WaitingRoom(listener, max_wait=0.5, max_bytes=1000, master_pid=os.getppid())
    threading.Thread(target=room.serve, daemon=True).start()
    yield room
    listener.close()


def worker(room: WaitingRoom) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(room.listener.getsockname())
    sock.settimeout(5)
    return sock


def hand_off(sock: socket.socket, request: bytes) -> socket.socket:
    """Hand the room a request with one end of a new connection; the other end is the client's."""
    client, server_side = socket.socketpair()
    client.settimeout(5)
    send_message(sock, HANDOFF, request, server_side.fileno())
    server_side.close()
    return client


def take_job(sock: socket.socket) -> tuple[bytes, socket.socket]:
    kind, payload, fd = read_message(sock)
    assert kind == JOB and fd is not None
    return payload, socket.socket(fileno=fd)


def test_a_request_goes_to_the_first_free_engine_with_its_connection(room):
    reader, engine = worker(room), worker(room)
    clients = [hand_off(reader, f"POST {n}".encode()) for n in range(2)]
    send_message(engine, FREE)
    payload, connection = take_job(engine)
    assert payload == b"POST 0"  # oldest first
    connection.sendall(b"answered")
    connection.close()
    assert clients[0].recv(100) == b"answered"
    send_message(reader, FREE)
    payload, connection = take_job(reader)
    assert payload == b"POST 1"
    connection.close()
    assert clients[1].recv(100) == b""


def test_a_worker_gone_or_leaving_gets_nothing_more(room):
    gone, leaving, staying = worker(room), worker(room), worker(room)
    send_message(gone, FREE)
    gone.close()
    send_message(leaving, FREE)
    send_message(leaving, LEAVE, b"now")
    assert read_message(leaving)[0] == BYE
    send_message(leaving, FREE)  # its last request done: it is still leaving
    send_message(staying, FREE)
    hand_off(staying, b"POST")
    assert take_job(staying)[0] == b"POST"


def test_a_draining_worker_takes_what_waits_before_its_bye(room):
    draining = worker(room)
    client = hand_off(draining, b"POST")
    send_message(draining, LEAVE, b"drain")
    send_message(draining, FREE)
    assert take_job(draining)[0] == b"POST"
    send_message(draining, FREE)  # done with it: nothing else waits
    assert read_message(draining)[0] == BYE
    client.close()


def problem(client: socket.socket) -> tuple[bytes, dict]:
    answer = b""
    while chunk := client.recv(4096):
        answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    return head, json.loads(body)


def test_a_request_waiting_past_the_deadline_is_answered_503(room):
    client = hand_off(worker(room), b"POST")
    head, body = problem(client)
    assert head.startswith(b"HTTP/1.1 503 ") and b"Retry-After: 5" in head
    assert b"application/problem+json" in head and body["status"] == 503 and "waited" in body["detail"]


def test_requests_over_the_room_s_bytes_are_refused_at_once(room):
    sock = worker(room)
    hand_off(sock, b"x" * 900)
    head, body = problem(hand_off(sock, b"x" * 200))
    assert head.startswith(b"HTTP/1.1 503 ") and "waiting requests" in body["detail"]


def test_the_room_s_address_belongs_to_its_master():
    assert waiting_room.address(41) != waiting_room.address(42)
