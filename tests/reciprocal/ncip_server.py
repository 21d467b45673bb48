"""A member's NCIP server on 127.0.0.1, as a process of its own, for tests and the desk benchmark.

It answers ``LookupUser`` the way a library system does: from recorded responses (``--answer
USERID=FILE``: the bytes of a real system's ``LookupUserResponse``, sent as they are, false encoding
declarations included) or from a reader it is told about (``--reader USERID=good|blocked|overdue``,
written with Jaringan's own NCIP writer); anyone else is an ``Unknown User`` problem. With ``--secret``
it requires ``Authorization: Bearer SECRET``. ``--delay`` seconds before each answer (a slow system).

    python -m tests.reciprocal.ncip_server --port 0 --reader 123=good

prints ``PORT <n>`` on its first line once it listens.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from jaringan.interop.ncip import messages


def build_answer(kind: str, user_id: str, agency: str) -> bytes:
    today = date.today()
    if kind == "good":
        return messages.lookup_user_response(user_agency=agency, user_id=user_id, privileges=[
            messages.Privilege(agency, "Student", "Active", today + timedelta(days=300))],
            loans=[messages.LoanOut("39000123", today + timedelta(days=5), "Laut dan pulau")])
    if kind == "blocked":
        return messages.lookup_user_response(user_agency=agency, user_id=user_id, blocks=[
            messages.BlockOut(agency, "Block Check Out", today + timedelta(days=30))])
    if kind == "overdue":
        return messages.lookup_user_response(user_agency=agency, user_id=user_id, loans=[
            messages.LoanOut("39000456", today - timedelta(days=9), "Sejarah Sulawesi")])
    raise SystemExit(f"--reader: {kind!r} is not good, blocked or overdue")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    parser.add_argument("--agency", default="KOHA-TEST", help="the library's agency id in its answers")
    parser.add_argument("--answer", action="append", default=[], help="USERID=FILE: answer with these bytes")
    parser.add_argument("--reader", action="append", default=[], help="USERID=good|blocked|overdue")
    parser.add_argument("--secret", default="", help="the bearer secret required of the asker")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each answer")
    args = parser.parse_args(argv)
    answers = {}
    for item in args.answer:
        user_id, path = item.split("=", 1)
        answers[user_id] = Path(path).read_bytes()
    for item in args.reader:
        user_id, kind = item.split("=", 1)
        answers[user_id] = build_answer(kind, user_id, args.agency)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (the standard library's name)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if args.delay:
                time.sleep(args.delay)
            status = 200
            if args.secret and self.headers.get("Authorization") != f"Bearer {args.secret}":
                status, answer = 403, messages.problem_response(messages.AGENCY_AUTHENTICATION_FAILED,
                                                                service="LookupUser")
            else:
                try:
                    query = messages.lookup_user_query(messages.parse(body))
                    answer = answers.get(query.user_id) or messages.problem_response(
                        messages.UNKNOWN_USER, element="UserId", value=query.user_id, service="LookupUser")
                except messages.NcipError as exc:
                    status, answer = 400, messages.problem_response(messages.INVALID_MESSAGE, detail=str(exc))
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *a):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
