#!/usr/bin/env python3
"""Uploads a file to Metalforge the way the maas CLI does (contract §3.4): sha256 and size first, a create POST
with the CLI's base64 multipart body, then 4 MiB PUT chunks on one connection, each answered 200 "OK".
Prints one JSON line: the time of the chunk phase, the client-side hashing time and the final file state.

With V3=1 in the environment it uses MAAS v3's single request instead (POST /MAAS/a/v3/custom_images, metadata in
headers, the file as the body); the timed phase is then that request.

usage: maas_upload.py HOST PORT API_KEY FILE NAME FILETYPE [BASE_IMAGE]
       maas_upload.py HOST PORT API_KEY --delete NAME   (deletes the uploaded resource NAME, so a benchmark's
                                                         next round stores its bytes again)
"""
import os
import base64
import hashlib
import http.client
import json
import random
import sys
import time
import urllib.parse

CHUNK = 1 << 22


def oauth(key):
    consumer, token, secret = key.split(":")
    return ('OAuth oauth_nonce="%d", oauth_timestamp="%d", oauth_version="1.0", oauth_signature_method="PLAINTEXT", '
            'oauth_consumer_key="%s", oauth_token="%s", oauth_signature="%%26%s"'
            % (random.getrandbits(63), int(time.time()), consumer, token, secret))


def multipart(fields):
    boundary = "===============%019d==" % random.getrandbits(60)
    lines = []
    for name in sorted(fields):
        encoded = base64.b64encode(fields[name].encode()).decode()
        lines.append("--" + boundary)
        lines.append('Content-Type: text/plain; charset="utf-8"')
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Transfer-Encoding: base64")
        lines.append('Content-Disposition: form-data; name="%s"' % name)
        lines.append("")
        lines.extend(encoded[i:i + 76] for i in range(0, len(encoded), 76))
        lines.append("")
    body = "\r\n".join(lines) + "\r\n--" + boundary + "--"
    return 'multipart/form-data; boundary="%s"' % boundary, body.encode()


def delete(host, port, key, name):
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    conn.request("GET", "/MAAS/api/2.0/boot-resources/?type=uploaded", headers={"Authorization": oauth(key)})
    reply = conn.getresponse()
    listed = json.loads(reply.read())
    for resource in listed:
        if resource["name"] == name:
            conn.request("DELETE", "/MAAS/api/2.0/boot-resources/%d/" % resource["id"],
                         headers={"Authorization": oauth(key)})
            reply = conn.getresponse()
            reply.read()
            if reply.status // 100 != 2:
                sys.exit("delete of %s failed: %d" % (name, reply.status))


def main():
    if len(sys.argv) == 6 and sys.argv[4] == "--delete":
        delete(*sys.argv[1:4], sys.argv[5])
        return
    host, port, key, path, name, filetype = sys.argv[1:7]
    base_image = sys.argv[7] if len(sys.argv) > 7 else ""
    started = time.monotonic()
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
            size += len(block)
    hashed = time.monotonic() - started

    if os.environ.get("V3"):
        upload_v3(host, port, key, path, name, filetype, base_image, digest.hexdigest(), size, hashed)
        return
    fields = {"name": name, "architecture": "amd64/generic", "filetype": filetype, "sha256": digest.hexdigest(),
              "size": str(size)}
    if base_image:
        fields["base_image"] = base_image
    content_type, body = multipart(fields)
    conn = http.client.HTTPConnection(host, int(port), timeout=600)
    conn.request("POST", "/MAAS/api/2.0/boot-resources/", body,
                 {"Authorization": oauth(key), "Content-Type": content_type, "mime-version": "1.0"})
    reply = conn.getresponse()
    text = reply.read()
    if reply.status // 100 != 2:
        sys.exit("create failed: %d %s" % (reply.status, text.decode()))
    resource = json.loads(text)
    newest = max(resource["sets"])
    (file_,) = resource["sets"][newest]["files"].values()
    uploaded = 0.0
    if not file_["complete"]:
        uri = urllib.parse.urljoin("http://%s:%s/MAAS/api/2.0/boot-resources/" % (host, port), file_["upload_uri"])
        target = urllib.parse.urlparse(uri).path
        started = time.monotonic()
        with open(path, "rb") as f:
            while block := f.read(CHUNK):
                conn.request("PUT", target, block, {"Authorization": oauth(key),
                                                    "Content-Type": "application/octet-stream"})
                reply = conn.getresponse()
                text = reply.read()
                if reply.status != 200 or text != b"OK":
                    sys.exit("chunk failed: %d %s" % (reply.status, text.decode()))
        uploaded = time.monotonic() - started
    conn.request("GET", "/MAAS/api/2.0/boot-resources/%d/" % resource["id"], headers={"Authorization": oauth(key)})
    final = json.loads(conn.getresponse().read())
    (done,) = final["sets"][newest]["files"].values()
    print(json.dumps({"bytes": size, "hash_seconds": round(hashed, 3), "upload_seconds": round(uploaded, 3),
                      "complete": done["complete"], "verdict": done.get("image_verdict"),
                      "format": done.get("image_format")}))


def upload_v3(host, port, key, path, name, filetype, base_image, sha256, size, hashed):
    headers = {"Authorization": oauth(key), "Content-Type": "application/octet-stream", "Content-Length": str(size),
               "name": name, "sha256": sha256, "architecture": "amd64/generic", "file-type": filetype}
    if base_image:
        headers["base-image"] = base_image
    conn = http.client.HTTPConnection(host, int(port), timeout=600, blocksize=CHUNK)
    started = time.monotonic()
    with open(path, "rb") as f:
        conn.request("POST", "/MAAS/a/v3/custom_images", f, headers)
        reply = conn.getresponse()
        text = reply.read()
    uploaded = time.monotonic() - started
    if reply.status // 100 != 2:
        sys.exit("v3 upload failed: %d %s" % (reply.status, text.decode()))
    print(json.dumps({"bytes": size, "hash_seconds": round(hashed, 3), "upload_seconds": round(uploaded, 3),
                      "answer": json.loads(text) if text.startswith(b"{") else text.decode()[:200]}))


if __name__ == "__main__":
    main()
