#!/bin/sh
# Make a self-signed certificate for the IMAP server on first start, write
# the return-path user's password file, then run Dovecot in the foreground.
set -e
if [ ! -f /certs/imap.pem ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=dovecot" \
    -addext "subjectAltName=DNS:dovecot,DNS:localhost" \
    -keyout /certs/imap.key -out /certs/imap.pem
  chmod 644 /certs/imap.pem
fi
echo "bounces:{PLAIN}${IMAP_PASSWORD}:1000:1000::/srv/mail/bounces" > /etc/dovecot/users
mkdir -p /srv/mail && chown 1000:1000 /srv/mail
exec dovecot -F
