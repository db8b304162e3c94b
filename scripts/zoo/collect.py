#!/usr/bin/env python3
"""Pick the bounces out of what sink.py received and file them by case.

A bounce is a message the sink received with a null MAIL FROM. Its case is
read from the Message-ID or ENVID of the returned message (zoo-CASE-MTA, see
send.py), else from the subject (zoo test: CASE) as an auto-reply quotes it. The first bounce of a case is CASE.eml; a delay warning that came
before the final bounce is CASE-delayed.eml; a further one CASE-N.eml
(ordered by the recipient it names when the MTA writes one bounce per
recipient, else by arrival). The
X-Zoo-Envelope-* headers that sink.py prepended are removed; the rest of the
message is kept byte for byte, except that the machine's own names are
replaced by example names (--scrub OLD=NEW, may be repeated).

With --mailbox, SINKDIR is instead a maildir tree (MAILDIR/*/new, cur)
the MTA delivered its reports to itself: mox writes its DSNs into the
sender's own mailbox, never by SMTP (queue/dsn.go, deliverDSN: "We only
queue DSNs for delivery failures for emails submitted by authenticated
users. So we are delivering to local users"), so there is no envelope and
every message there is a report, kept byte for byte, in the maildir's
order (its file names begin with the delivery time).

Usage: collect.py SINKDIR MTA DESTDIR [--mailbox] [--scrub OLD=NEW]...
"""
import glob
import os
import re
import sys


def main():
    src, mta, dest = sys.argv[1:4]
    scrubs = []
    mailbox = False
    args = sys.argv[4:]
    while args:
        if args[0] == "--mailbox":
            mailbox = True
            args = args[1:]
        elif args[0] == "--scrub":
            old, new = args[1].split("=", 1)
            scrubs.append((old.encode(), new.encode()))
            args = args[2:]
        else:
            sys.exit("collect: unknown argument %s" % args[0])
    os.makedirs(dest, exist_ok=True)
    groups = {}
    if mailbox:
        paths = sorted(glob.glob(os.path.join(src, "*", "new", "*")) + glob.glob(os.path.join(src, "*", "cur", "*")),
                       key=lambda p: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", os.path.basename(p))])
    else:
        paths = sorted(glob.glob(os.path.join(src, "*.eml")))
    for path in paths:
        raw = open(path, "rb").read()
        if mailbox:
            body = raw
        else:
            m = re.match(rb"X-Zoo-Envelope-From: <([^>]*)>\r?\nX-Zoo-Envelope-To: [^\n]*\n", raw)
            if not m:
                continue
            if m.group(1) != b"":
                continue  # a message the sink accepted for delivery, not a bounce
            body = raw[m.end():]
        c = re.search(rb"zoo-([a-z-]+?)-" + re.escape(mta.encode()) + rb"\b", body)
        if not c:
            # an auto-reply need not quote the Message-ID: the subject it
            # quotes (vacation(1)'s $SUBJECT) still names the case
            c = re.search(rb"zoo test: ([a-z-]+)", body)
        case = c.group(1).decode() if c else "unmatched"
        for old, new in scrubs:
            body = body.replace(old, new)
        # OpenSMTPD reports an expired envelope as "Action: delayed" with
        # "Status: 4.4.7" (delivery time expired): that is the final one.
        # nullmailer-dsn writes "Action: delayed" for any 4.x.x status, but
        # nullmailer-send runs it only when it moves the message to the
        # failed queue (src/send.cc, bounce_msg): that is the final one too.
        delayed = (re.search(rb"(?im)^Action:\s*delayed", body) is not None
                   and re.search(rb"(?im)^Status:\s*4\.4\.7", body) is None
                   and b"This is the nullmailer delivery system." not in body)
        name = case + "-delayed" if delayed else case
        # An MTA that writes one bounce per recipient (dma) sends them in
        # any order: they are named in the order of the recipient each is
        # about, when a header says it.
        k = re.search(rb"(?im)^(?:X-Original-To|X-Failed-Recipients):\s*<?([^>\s,]+)", body)
        key = k.group(1).lower() if k else b""
        groups.setdefault(name, []).append((key, path, body))
    for name, items in groups.items():
        items.sort(key=lambda it: it[0])  # stable: arrival order otherwise
        for n, (_, path, body) in enumerate(items, 1):
            out = os.path.join(dest, (name if n == 1 else "%s-%d" % (name, n)) + ".eml")
            with open(out, "wb") as f:
                f.write(body)
            print("collect: %s -> %s" % (os.path.basename(path), out))


if __name__ == "__main__":
    main()
