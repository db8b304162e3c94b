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
  disabled 550 5.2.1 mailbox disabled                   (disabled mailbox)
  relay    554 5.7.1 relay access denied                 (relay refusal)
  syntax   501 5.1.3 bad recipient address syntax       (bad address syntax)
  rate     450 4.2.1 receiving mail too fast, every try  (rate limit, expiry)
  later    451 4.3.0 for LATER_S seconds after the first try, then 250
                                                         (delay only)
  spam     accepted at RCPT; 550 5.7.1 spam at end of DATA
  content  accepted at RCPT; 554 5.6.0 content at end of DATA
  anything else: 250 accepted

MAIL FROM is refused by the sender's local part (never a null sender):
  refused  553 5.1.8 sender address rejected: domain not found
  notls    530 5.7.0 Must issue a STARTTLS command first

With --greet REPLY the server refuses at connection: it greets with REPLY
(a 554) and answers every command but QUIT with 503 (RFC 5321 section
3.1): the sink of blocked.example.net.

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

Usage: sink.py [HOST:]PORT OUTDIR [--size LIMIT] [--greet REPLY]
"""
import os
import re
import socketserver
import sys
import time

LIMIT = 0  # no SIZE limit unless --size
GREET = ""  # a refusal at connection, with --greet
LATER_S = 40  # how long "later" is refused
FIRST_SEEN = {}  # "later" recipients: when first tried
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
    if local.startswith("disabled"):
        return "550 5.2.1 <%s>: Recipient address rejected: Mailbox disabled, not accepting messages" % rcpt
    if local.startswith("relay"):
        return "554 5.7.1 <%s>: Relay access denied" % rcpt
    if local.startswith("syntax"):
        return "501 5.1.3 <%s>: Bad recipient address syntax" % rcpt
    if local.startswith("rate"):
        return "450 4.2.1 <%s>: Recipient is receiving mail too fast, rate limit exceeded, try again later" % rcpt
    if local.startswith("later"):
        first = FIRST_SEEN.setdefault(rcpt.lower(), time.time())
        if time.time() - first < LATER_S:
            return "451 4.3.0 <%s>: Temporary lookup failure, try again later" % rcpt
    return "250 2.1.5 Ok"


def data_reply(rcpts):
    """The refusal at end of DATA, if a recipient asks for one."""
    for r in rcpts:
        local = r.split("@", 1)[0].lower()
        if local.startswith("spam"):
            return "550 5.7.1 Message rejected as spam by content filter"
        if local.startswith("content"):
            return "554 5.6.0 Message content rejected"
    return ""


def sender_reply(sender):
    local = sender.split("@", 1)[0].lower()
    if local.startswith("refused"):
        return "553 5.1.8 <%s>: Sender address rejected: Domain not found" % sender
    if local.startswith("notls"):
        return "530 5.7.0 Must issue a STARTTLS command first"
    return ""


class Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write(line.encode("utf-8") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        if GREET:
            self.send(GREET)
            while True:
                raw = self.rfile.readline()
                if not raw:
                    return
                if raw.split(b" ", 1)[0].strip().upper() == b"QUIT":
                    self.send("221 2.0.0 Bye")
                    return
                self.send("503 5.5.1 Error: no service here")
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
                refuse = sender_reply(m.group(1)) if m and m.group(1) else ""
                if refuse:
                    self.send(refuse)
                    continue
                sender, rcpts = (m.group(1) if m else ""), []
                self.send("250 2.1.0 Ok")
            elif verb == "RCPT" and sender is None:
                self.send("503 5.5.1 Error: need MAIL command")
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
                refuse = data_reply(rcpts) if sender else ""
                if LIMIT and sender and len(data) > LIMIT:
                    self.send("552 5.3.4 Error: message file too big")
                elif refuse:
                    self.send(refuse)
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
    global LIMIT, GREET
    host, _, port = sys.argv[1].rpartition(":")
    host, port, outdir = host or "127.0.0.1", int(port), sys.argv[2]
    args = sys.argv[3:]
    while args:
        if args[0] == "--size":
            LIMIT = int(args[1])
        elif args[0] == "--greet":
            GREET = args[1]
        else:
            sys.exit("sink: unknown argument %s" % args[0])
        args = args[2:]
    os.makedirs(outdir, exist_ok=True)
    srv = Server((host, port), Handler)
    srv.outdir, srv.port = outdir, port
    srv.serve_forever()


if __name__ == "__main__":
    main()
