#!/usr/bin/env python3
"""A Muster worker in Python: registers with an Ed25519 key, leases tickets, runs them and reports
signed results, over the HTTP API alone. Needs only the standard library and `cryptography`.

It runs the job type `reverse` (the result is the payload's bytes in reverse order), which the
tests pair with a validator; give run_job() your own job types. Usage:

    python3 muster_worker.py --url http://127.0.0.1:8080/v1/ --owner alice [--until-idle]
"""
import argparse, base64, calendar, hashlib, json, os, struct, time, urllib.error, urllib.parse, urllib.request
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

def field(data: bytes) -> bytes:           # SignedBytes: a 4-byte big-endian length, then the bytes
    return struct.pack(">i", len(data)) + data

def text(s: str) -> bytes:
    return field(s.encode("utf-8"))

b64 = lambda b: base64.b64encode(b).decode("ascii")
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # the coordinator is reached directly
sha256hex = lambda b: hashlib.sha256(b).hexdigest()

class Worker:
    def __init__(self, url, key=None):
        self.url = url if url.endswith("/") else url + "/"
        self.key = key or Ed25519PrivateKey.generate()
        self.public = self.key.public_key().public_bytes(serialization.Encoding.DER,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo)
        self.id = sha256hex(self.public)[:32]
        self.coordinator_key = None

    def call(self, method, path, body=None, signed=True):
        data = b"" if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data if method != "GET" else None, method=method,
                                         headers={"Content-Type": "application/json"})
        if signed:                          # RequestSigning: tag, method, path, worker, time, nonce, body digest
            now, nonce = int(time.time() * 1000), base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode()
            raw_path = urllib.parse.urlsplit(self.url + path).path
            message = (text("muster/request/v1") + text(method) + text(raw_path) + text(self.id)
                       + struct.pack(">q", now) + text(nonce) + field(hashlib.sha256(data).digest()))
            for name, value in (("Muster-Worker", self.id), ("Muster-Timestamp", str(now)), ("Muster-Nonce", nonce),
                                ("Muster-Signature", b64(self.key.sign(message)))):
                request.add_header(name, value)
        try:
            with OPENER.open(request, timeout=60) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode('utf-8', 'replace')}") from None

    def register(self, owner, cores=1, memory_mb=512, build="python-worker-1", max_leases=8):
        challenge = base64.b64decode(self.call("POST", "workers/challenge", signed=False)["challenge"])
        message = (text("muster/register/v1") + field(challenge) + field(self.public) + text(owner)
                   + struct.pack(">iq?i", cores, memory_mb, False, 0) + text(build) + struct.pack(">i", max_leases))
        self.call("POST", "workers/register", {
            "publicKey": b64(self.public), "owner": owner, "clientBuild": build, "maxConcurrentLeases": max_leases,
            "capabilities": {"cores": cores, "memoryMb": memory_mb, "gpu": False, "labels": []},
            "challenge": b64(challenge), "signature": b64(self.key.sign(message))}, signed=False)
        published = self.call("GET", "coordinator/key", signed=False)   # trust on first use: pin it
        if published.get("signsTickets"):
            self.coordinator_key = Ed25519PublicKey.from_public_bytes(
                serialization.load_der_public_key(base64.b64decode(published["publicKey"])).public_bytes(
                    serialization.Encoding.Raw, serialization.PublicFormat.Raw))

    def lease(self, max_tickets=8):
        batch = self.call("POST", "workers/lease", {"max": max_tickets})
        tickets = batch["tickets"]
        if tickets and self.coordinator_key is not None:   # SignedBytes.tickets, as the coordinator signed it
            issued = parse_millis(batch["issuedAt"])
            message = text("muster/tickets/v2") + text(self.id) + struct.pack(">qi", issued, len(tickets))
            for t in tickets:
                deadline = parse_millis(t["deadline"])
                message += (struct.pack(">qiq", int(t["jobId"]), t["replica"], t["seed"]) + text(t["type"])
                            + text(t["mediaType"]) + text(t["payloadDigest"]) + struct.pack(">q", deadline))
            self.coordinator_key.verify(base64.b64decode(batch["signature"]), message)   # raises if forged
        for t in tickets:
            if sha256hex(base64.b64decode(t["payload"])) != t["payloadDigest"]:
                raise RuntimeError(f"payload of job {t['jobId']} does not match its digest")
        return tickets

    def report(self, results):               # results: (ticket, result bytes, metadata)
        message = text("muster/results/v1") + text(self.id) + struct.pack(">i", len(results))
        forms = []
        for t, result, metadata in results:
            digest = sha256hex(result)
            message += struct.pack(">qiq", int(t["jobId"]), t["replica"], t["seed"]) + text(digest)
            forms.append({"jobId": t["jobId"], "replica": t["replica"], "seed": t["seed"], "result": b64(result),
                          "resultDigest": digest, "metadata": metadata})
        return self.call("POST", "workers/results", {"results": forms, "signature": b64(self.key.sign(message))})

def parse_millis(iso):                       # "2026-12-02T10:05:07.123Z" -> epoch milliseconds
    seconds = calendar.timegm(time.strptime(iso[:19], "%Y-%m-%dT%H:%M:%S"))
    fraction = iso[20:-1] if "." in iso else ""
    return seconds * 1000 + int((fraction + "000")[:3])

def run_job(ticket):
    if ticket["type"] != "reverse":
        raise ValueError(f"this worker runs only 'reverse', not {ticket['type']!r}")
    return base64.b64decode(ticket["payload"])[::-1], {"runner": "python"}

def main():
    parser = argparse.ArgumentParser(description="A Muster worker in Python")
    parser.add_argument("--url", required=True)
    parser.add_argument("--owner", required=True)
    parser.add_argument("--until-idle", action="store_true", help="stop when the queue has nothing")
    args = parser.parse_args()
    worker = Worker(args.url)
    worker.register(args.owner)
    pinned = "pinned the coordinator's key" if worker.coordinator_key else "the coordinator signs no tickets"
    print(f"worker {worker.id} of {args.owner} joined {args.url}; {pinned}", flush=True)
    done = 0
    while True:
        tickets = worker.lease()
        if not tickets:
            if args.until_idle:
                break
            time.sleep(0.5)
            continue
        outcomes = worker.report([(t, *run_job(t)) for t in tickets])["outcomes"]
        done += len(tickets)
        print(f"batch: {len(tickets)} jobs run, {sum(o['status'] == 'ACCEPTED' for o in outcomes)} accepted", flush=True)
    print(f"worker {worker.id} stopped after {done} results", flush=True)

if __name__ == "__main__":
    main()
