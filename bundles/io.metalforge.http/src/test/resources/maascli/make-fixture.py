#!/usr/bin/env python3
"""Builds a multipart body the way the maas CLI does (Python's email package, base64 parts, CRLF lines, no CRLF
after the closing boundary) and writes body.bin and content-type.txt next to this script. Run once to refresh the
committed fixture; the tests only read the output."""
import os
from email.generator import BytesGenerator
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from io import BytesIO

here = os.path.dirname(os.path.abspath(__file__))


def string_part(name, value):
    part = MIMEApplication(value.encode("utf-8"), charset="utf-8")
    part.add_header("Content-Disposition", "form-data", name=name)
    part.set_type("text/plain")
    return part


def file_part(name, data):
    part = MIMEApplication(data)
    part.add_header("Content-Disposition", "form-data", name=name, filename=name)
    part.set_type("application/octet-stream")
    return part


message = MIMEMultipart("form-data")
message.attach(string_part("architecture", "amd64/generic"))
message.attach(string_part("arches", "amd64"))
message.attach(string_part("arches", "arm64"))
message.attach(string_part("name", "custom/Zürich image"))
message.attach(string_part("title", "x" * 200))
message.attach(file_part("keyring_data", bytes(range(256)) * 3))
buf = BytesIO()
generator = BytesGenerator(buf, False)
generator._write_headers = lambda self: None  # the body only, as the CLI sends it
generator.flatten(message)
body = b"\r\n".join(buf.getvalue().splitlines())
with open(os.path.join(here, "body.bin"), "wb") as f:
    f.write(body)
with open(os.path.join(here, "content-type.txt"), "w") as f:
    f.write(message["Content-Type"])
