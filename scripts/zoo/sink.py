#!/usr/bin/env python3
"""A receiving SMTP server on loopback that refuses mail in chosen ways.

It plays the remote side for every MTA of the zoo. What it answers depends on
the local part of each RCPT TO address (the domain does not matter):

  unknown  550 5.1.1 user unknown                      (unknown user)
  full     552 5.2.2 mailbox full                      (full mailbox)
  big      accepted at RCPT; SIZE limit enforced         (size limit)
  policy   550 5.7.1 with a Japanese, carrier-style text (policy rejection)
  grey     450 4.7.1 greylisted, on every try           (expiry after retries)
  quota    452 4.2.2 mailbox full, on every try          (expiry, a specific cause)
  anything else: 250 accepted

With --size LIMIT the server advertises SIZE LIMIT: a MAIL FROM whose SIZE=
is larger, or a DATA section that is larger, gets 552 5.3.4 (not for a
null sender: bounces are always taken). make-zoo.sh runs
one sink with a limit for example.net (the recipients) and one without for
example.com (the sender, where the bounces come back: some MTAs return the
whole message, which is larger than the limit). Every accepted message is
written to OUTDIR as TIME-PORT.eml with the envelope in X-Zoo-Envelope-*
headers prepended (collect.py keeps only those sent with a null MAIL FROM,
the bounces, and strips those headers).

PORT may be HOST:PORT, to listen on another loopback address than
127.0.0.1 (chasquid delivers only to port 25 of the address its resolver
finds for the domain). LHLO is taken like EHLO, so that an MDA that speaks
LMTP for one recipient at a time (chasquid's mda-lmtp) can deliver to it.

Usage: sink.py [HOST:]PORT OUTDIR [--size LIMIT]
"""
import os
import re
import socketserver
import sys
import time

LIMIT = 0  # no SIZE limit unless --size
# A paraphrase (written for this zoo) of the kind of refusal a Japanese
# mobile carrier sends when the recipient's "designated reception" filter
# (指定受信) does not list the sender's domain.
POLICY_JA = ("550 5.7.1 <{rcpt}>: 受信者の指定受信設定により、"
             "このドメインからのメールの受信は許可されていません")



def reply_for(rcpt):
    local = rcpt.split("@", 1)[0].lower()
    if local.startswith("unknown"):
        return "550 5.1.1 <%s>: Recipient address rejected: User unknown in local recipient table" % rcpt
    if local.startswith("full"):
        return "552 5.2.2 <%s>: Recipient address rejected: Mailbox full, quota exceeded" % rcpt
    if local.startswith("policy"):
        return POLICY_JA.format(rcpt=rcpt)
    if local.startswith("quota"):
        return "452 4.2.2 <%s>: Recipient address rejected: Mailbox full, over quota, try again later" % rcpt
    if local.startswith("grey"):
        return "450 4.7.1 <%s>: Recipient address rejected: Greylisted, please try again later" % rcpt
    return "250 2.1.5 Ok"


class Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write(line.encode("utf-8") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.send("220 mx.example.net ESMTP zoo sink")
        sender, rcpts = None, []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "LHLO"):
                self.send("250-mx.example.net")
                self.send("250-PIPELINING")
                if LIMIT:
                    self.send("250-SIZE %d" % LIMIT)
                self.send("250-8BITMIME")
                self.send("250 SMTPUTF8")
            elif verb == "HELO":
                self.send("250 mx.example.net")
            elif verb == "MAIL":
                m = re.search(r"FROM:\s*<([^>]*)>", line, re.I)
                size = re.search(r"SIZE=(\d+)", line, re.I)
                if LIMIT and m and m.group(1) and size and int(size.group(1)) > LIMIT:
                    self.send("552 5.3.4 Message size exceeds fixed maximum message size")
                    continue
                sender, rcpts = (m.group(1) if m else ""), []
                self.send("250 2.1.0 Ok")
            elif verb == "RCPT":
                m = re.search(r"TO:\s*<([^>]*)>", line, re.I)
                rcpt = m.group(1) if m else ""
                r = reply_for(rcpt)
                if r.startswith("250"):
                    rcpts.append(rcpt)
                self.send(r)
            elif verb == "DATA":
                if sender is None or not rcpts:
                    self.send("554 5.5.1 Error: no valid recipients")
                    continue
                self.send("354 End data with <CR><LF>.<CR><LF>")
                data = bytearray()
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    data += l
                if LIMIT and sender and len(data) > LIMIT:
                    self.send("552 5.3.4 Error: message file too big")
                else:
                    self.save(sender, rcpts, bytes(data))
                    self.send("250 2.0.0 Ok: queued")
                sender, rcpts = None, []
            elif verb == "RSET":
                sender, rcpts = None, []
                self.send("250 2.0.0 Ok")
            elif verb == "NOOP":
                self.send("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.send("221 2.0.0 Bye")
                return
            else:
                self.send("502 5.5.2 Error: command not recognized")

    def save(self, sender, rcpts, data):
        head = ("X-Zoo-Envelope-From: <%s>\r\nX-Zoo-Envelope-To: %s\r\n"
                % (sender, ", ".join("<%s>" % r for r in rcpts)))
        path = os.path.join(self.server.outdir, "%d-%d.eml" % (time.time_ns(), self.server.port))
        with open(path + ".tmp", "wb") as f:
            f.write(head.encode() + data)
        os.rename(path + ".tmp", path)


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    global LIMIT
    host, _, port = sys.argv[1].rpartition(":")
    host, port, outdir = host or "127.0.0.1", int(port), sys.argv[2]
    if len(sys.argv) == 5 and sys.argv[3] == "--size":
        LIMIT = int(sys.argv[4])
    os.makedirs(outdir, exist_ok=True)
    srv = Server((host, port), Handler)
    srv.outdir, srv.port = outdir, port
    srv.serve_forever()


if __name__ == "__main__":
    main()
