#!/usr/bin/env python3
"""Submit the zoo's test messages to an MTA on loopback.

Each case is one message from sender@example.com; its Message-ID names the
case (<zoo-CASE-MTA@example.com>) so that make-zoo.sh can tell which bounce
answers which case. Recipients are at example.net (routed by the MTA to
sink.py) or at nosuch.example.org (left to DNS, which has no such name).

Usage: send.py [--auth USER:PASSWORD] HOST PORT MTA [CASE...]
       send.py --sendmail PROGRAM MTA [CASE...]

The second form hands each message to a sendmail-compatible program
(PROGRAM -f SENDER RCPT...; PROGRAM may carry options, split at spaces) on its standard input, for MTAs such as dma
that take no SMTP connection. With --auth, each SMTP session does STARTTLS
(the MTA's certificate is not checked: it is a throwaway self-signed one)
and AUTH as USER, for MTAs such as chasquid that relay only for an
authenticated user, and only over TLS.
"""
import smtplib
import ssl
import subprocess
import sys
import time
from email import policy
from email.message import EmailMessage

SENDER = "sender@example.com"
CASES = {
    "unknown-user": ["unknown@example.net"],
    "unknown-domain": ["someone@nosuch.example.org"],
    "mailbox-full": ["full@example.net"],
    "size-limit": ["big@example.net"],
    "policy-ja": ["policy@example.net"],
    "greylist-expired": ["grey@example.net"],
    "multi": ["unknown1@example.net", "full2@example.net", "policy3@example.net"],
    "success": ["ok@example.net"],
    "quota-expired": ["quota@example.net"],
    # Refusals at other stages and for other causes (sink.py): at RCPT a
    # disabled mailbox, a relay refusal, a bad address syntax, a rate
    # limit on every try (expiry), a temporary refusal that later
    # succeeds (a delay warning only); at end of DATA spam and content;
    # at MAIL FROM (the sender names it, SENDERS) a refused sender and
    # TLS required; at connection (blocked.example.net, a sink that
    # greets with 554); a failure returned with RET=FULL, a greylist with
    # NOTIFY=DELAY only (a delay warning, and no failure report).
    "disabled": ["disabled@example.net"],
    "relay-denied": ["relay@example.net"],
    "bad-syntax": ["syntax@example.net"],
    "rate-expired": ["rate@example.net"],
    "delay-only": ["later@example.net"],
    "spam-data": ["spam@example.net"],
    "content-data": ["content@example.net"],
    "sender-refused": ["someone@example.net"],
    "tls-required": ["someone@example.net"],
    "conn-blocked": ["someone@blocked.example.net"],
    "ret-full": ["unknown-full@example.net"],
    "notify-delay": ["grey-delay@example.net"],
    # a message that has been through too many hops (HOPS Received:
    # lines), to a recipient the sink would take: the MTA's own loop check
    "hop-loop": ["hops@example.net"],
    # a message of about 150 kB, over the MTA's own message_size_limit
    # (100 kB where make-zoo.sh sets one), to a recipient the sink takes
    "own-size": ["ownsize@example.net"],
    # Only for MTAs configured with a local domain virt.example.com
    # (make-zoo.sh names them): the MTA's own delivery refuses.
    "local-unknown": ["nobody@virt.example.com"],
    "local-full": ["full@virt.example.com"],
    # Non-failure reports and the recipient's own software (make-zoo.sh
    # says which MTA has which): a DSN of a delivery to a local mailbox
    # (NOTIFY=SUCCESS), of an alias that expands to two mailboxes, Debian's
    # vacation(1) run from an alias pipe, and Dovecot's LDA with a Pigeonhole
    # Sieve script that answers with `vacation` or refuses with `reject`.
    "success-local": ["ok@virt.example.com"],
    "success-expanded": ["team@local.example.com"],
    "vacation": ["vacation@local.example.com"],
    "autoreply": ["autoreply@local.example.com"],
    "sieve-vacation": ["sv@sieve.example.com"],
    "sieve-reject": ["sr@sieve.example.com"],
    # The MTA's own local delivery (make-zoo.sh): an alias piping to a
    # program that exits EX_NOUSER (67) or EX_TEMPFAIL (75), an alias to a
    # local user that does not exist.
    "prog-nouser": ["nouser@local.example.com"],
    "prog-tempfail": ["tempfail@local.example.com"],
    "alias-unknown": ["ghost@local.example.com"],
}
LOCAL = ("local-unknown", "local-full", "success-local", "success-expanded", "vacation", "autoreply",
         "sieve-vacation", "sieve-reject", "prog-nouser", "prog-tempfail", "alias-unknown")
# Cases sent from another envelope sender (sink.py refuses it at MAIL
# FROM); its bounce still comes back to example.com's sink.
SENDERS = {"sender-refused": "refused@example.com", "tls-required": "notls@example.com"}
HOPS = 110  # over every MTA's limit here (Postfix 50, Exim 30, Sendmail 25, OpenSMTPD 100)


def message(case, mta, rcpts):
    m = EmailMessage()
    m["From"] = "Sender <%s>" % SENDER
    m["To"] = ", ".join(rcpts)
    m["Subject"] = "zoo test: %s" % case
    m["Message-ID"] = "<zoo-%s-%s@example.com>" % (case, mta)
    m["Date"] = "Wed, 02 Dec 2026 10:00:00 +0000"
    if case == "hop-loop":
        for i in range(HOPS):
            m["Received"] = "from relay%d.example.org by relay%d.example.org; Wed, 02 Dec 2026 09:00:00 +0000" % (i, i + 1)
    body = "This is the zoo's %s case.\n" % case
    if case == "size-limit":
        body += ("0123456789abcdef" * 4 + "\n") * 800  # about 52 kB
    if case == "own-size":
        body += ("0123456789abcdef" * 4 + "\n") * 2300  # about 150 kB
    m.set_content(body)
    return m


def main():
    auth = None
    if sys.argv[1] == "--auth":
        auth = sys.argv[2].split(":", 1)
        del sys.argv[1:3]
    if sys.argv[1] == "--sendmail":
        prog, mta = sys.argv[2], sys.argv[3]
        for case in sys.argv[4:] or [c for c in CASES if c not in LOCAL]:
            rcpts = CASES[case]
            msg = message(case, mta, rcpts).as_bytes()
            subprocess.run(prog.split() + ["-f", SENDERS.get(case, SENDER)] + rcpts, input=msg, check=False)
            print("send: %s: submitted" % case)
            time.sleep(0.2)
        return
    host, port, mta = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cases = sys.argv[4:] or [c for c in CASES if c not in LOCAL]
    for case in cases:
        rcpts = CASES[case]
        s = smtplib.SMTP(host, port, local_hostname="client.example.com")
        s.ehlo()
        if auth:
            s.starttls(context=ssl._create_unverified_context())
            s.ehlo()
            s.login(*auth)
        opts = []
        mail_opts = []
        if s.has_extn("dsn"):
            opts = ["NOTIFY=SUCCESS,FAILURE,DELAY"] if case.startswith("success") else ["NOTIFY=FAILURE,DELAY"]
            if case == "notify-delay":
                opts = ["NOTIFY=DELAY"]
            mail_opts = ["RET=FULL" if case == "ret-full" else "RET=HDRS", "ENVID=zoo-%s-%s" % (case, mta)]
        elif case.startswith("success"):
            print("send: %s does not offer DSN; success case sent without NOTIFY" % mta, file=sys.stderr)
        try:
            refused = s.sendmail(SENDERS.get(case, SENDER), rcpts, message(case, mta, rcpts).as_bytes(policy=policy.SMTP),
                                 mail_options=mail_opts, rcpt_options=opts)
        except smtplib.SMTPException as e:
            # the MTA refused it itself (its own size or hop limit): no bounce
            print("send: %s: refused by the MTA: %s" % (case, e), file=sys.stderr)
            s.close()
            continue
        if refused:
            print("send: %s: refused %r" % (case, refused), file=sys.stderr)
        s.quit()
        print("send: %s: submitted" % case)
        time.sleep(0.2)


if __name__ == "__main__":
    main()
