#!/usr/bin/env python3
"""A /dev/log for MTAs that log only to syslog, on a machine without one.

Usage: devlog.py FILE  (appends every datagram received to FILE)
"""
import os
import socket
import sys

PATH = "/dev/log"


def main():
    try:
        os.unlink(PATH)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(PATH)
    os.chmod(PATH, 0o666)
    with open(sys.argv[1], "ab", buffering=0) as f:
        while True:
            f.write(s.recv(65536) + b"\n")


if __name__ == "__main__":
    main()
