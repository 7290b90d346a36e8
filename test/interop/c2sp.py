#!/usr/bin/env python3
"""An independent C2SP implementation in another language, for Détente's tests.

Written from the public texts only, sharing no code with the project:
  - C2SP signed-note v1 and tlog-checkpoint v1 (https://c2sp.org/signed-note, /tlog-checkpoint),
  - C2SP tlog-witness v1.0.0 (https://c2sp.org/tlog-witness),
  - C2SP tlog-cosignature v1 (https://c2sp.org/tlog-cosignature),
  - C2SP tlog-tiles (https://c2sp.org/tlog-tiles), RFC 6962 / RFC 9162 Merkle trees.
A party that distrusts the mediator's server would check the record with a tool like
this one, which it did not get from us; the tests make our log, our witness and our
client meet it in each role:

  vectors DIR                            check other implementations' vectors (src/record/testdata): this file is right
  vkey --name N --seed HEX [--cosig]     print the verifier key of a seed
  witness --name N --seed HEX --log ORIGIN=VKEY...   run a witness; prints its vkey, then "listening at URL"
  log-run --url URL --witness-vkey V --seed HEX --origin O --fresh O2 --unknown O3
                                         act as a log against a witness, every status; prints JSON
  client --url PREFIX --log-vkey V [--witness-vkey V...] [--token T]
                                         read a tlog-tiles log, verify checkpoint, cosignatures and root; prints JSON

Only the Python standard library and `cryptography` (Debian: python3-cryptography).
"""

import base64
import hashlib
import http.server
import json
import struct
import sys
import threading
import time
import urllib.error
import urllib.request

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

DASH = "\u2014"  # the em dash that opens a signature line


# ---------------------------------------------------------------- keys ----


def raw_public(priv):
    return priv.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(name, key_type, pub):
    return hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + pub).digest()[:4]


def vkey_of(name, key_type, pub):
    return "%s+%s+%s" % (name, key_id(name, key_type, pub).hex(), base64.b64encode(bytes([key_type]) + pub).decode())


def parse_vkey(vkey):
    name, hexid, b64 = vkey.split("+", 2)
    raw = base64.b64decode(b64)
    key_type, pub = raw[0], raw[1:]
    if key_type not in (0x01, 0x04) or len(pub) != 32:
        raise ValueError("not an Ed25519 (0x01) or cosignature/v1 (0x04) key: %r" % vkey)
    if key_id(name, key_type, pub).hex() != hexid:
        raise ValueError("key id does not match: %r" % vkey)
    return {"name": name, "type": key_type, "id": bytes.fromhex(hexid), "key": Ed25519PublicKey.from_public_bytes(pub)}


def private_from_seed(hexseed):
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(hexseed))


# ---------------------------------------------------------- signed notes ----


def split_note(note):
    """(text, [(name, sigbytes)]): the text ends with its own newline; a blank line, then signature lines."""
    if not note.endswith("\n"):
        raise ValueError("a note ends with a newline")
    cut = note.rfind("\n\n")
    if cut < 0:
        raise ValueError("no blank line before the signatures")
    text, sigs = note[: cut + 1], note[cut + 2 :]
    lines = []
    for line in sigs.split("\n")[:-1]:
        if not line.startswith(DASH + " "):
            raise ValueError("not a signature line: %r" % line)
        name, b64 = line[2:].rsplit(" ", 1)
        lines.append((name, base64.b64decode(b64, validate=True)))
    if not lines:
        raise ValueError("no signature")
    return text, lines


def sign_note(text, name, priv):
    pub = raw_public(priv)
    sig = key_id(name, 0x01, pub) + priv.sign(text.encode())
    return "%s\n%s %s %s\n" % (text, DASH, name, base64.b64encode(sig).decode())


def verify_note(text, sigs, vkey):
    """True if one signature line is a good signature of the text by this Ed25519 key."""
    k = parse_vkey(vkey)
    for name, sig in sigs:
        if name == k["name"] and sig[:4] == k["id"] and len(sig) == 68:
            try:
                k["key"].verify(sig[4:], text.encode())
                return True
            except InvalidSignature:
                return False
    return False


def cosigned_message(text, t):
    return ("cosignature/v1\ntime %d\n" % t).encode() + text.encode()


def cosign(text, name, priv, t):
    pub = raw_public(priv)
    sig = key_id(name, 0x04, pub) + struct.pack(">Q", t) + priv.sign(cosigned_message(text, t))
    return "%s %s %s\n" % (DASH, name, base64.b64encode(sig).decode())


def verify_cosignature(text, sigs, vkey):
    """The cosignature's time if one line is a good cosignature/v1 of the text by this key, else None."""
    k = parse_vkey(vkey)
    for name, sig in sigs:
        if name == k["name"] and sig[:4] == k["id"] and len(sig) == 76:
            (t,) = struct.unpack(">Q", sig[4:12])
            try:
                k["key"].verify(sig[12:], cosigned_message(text, t))
                return t
            except InvalidSignature:
                return None
    return None


def parse_checkpoint(text):
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "":
        raise ValueError("a checkpoint has an origin, a size and a root")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise ValueError("bad size %r" % size)
    r = base64.b64decode(root, validate=True)
    if len(r) != 32:
        raise ValueError("bad root")
    return origin, int(size), r


def checkpoint_text(origin, size, root):
    return "%s\n%d\n%s\n" % (origin, size, base64.b64encode(root).decode())


# ------------------------------------------------------------ Merkle trees ----


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split_point(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def consistency_proof(m, leaves):
    """RFC 6962 PROOF(m, D[n]) through SUBPROOF."""

    def sub(m, d, b):
        n = len(d)
        if m == n:
            return [] if b else [mth(d)]
        k = split_point(n)
        if m <= k:
            return sub(m, d[:k], b) + [mth(d[k:])]
        return sub(m - k, d[k:], False) + [mth(d[:k])]

    return sub(m, leaves, True)


def verify_consistency(m, n, old_root, new_root, proof):
    """RFC 9162 section 2.1.4.2."""
    if m > n:
        return False
    if m == n:
        return not proof and old_root == new_root
    if m == 0:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + list(proof)
    if not proof:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn != 0 and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


# ---------------------------------------------------------------- witness ----


class Witness:
    """tlog-witness v1.0.0, one lock: the check of `old` and the update are one step."""

    def __init__(self, name, priv, logs):
        self.name, self.priv, self.logs = name, priv, logs
        self.state = {}  # origin -> (size, root)
        self.lock = threading.Lock()

    def add_checkpoint(self, body):
        """(status, content type, body)."""
        try:
            text = body.decode("utf-8")
            head, rest = text.split("\n", 1)
            if not head.startswith("old ") or not head[4:].isdigit():
                raise ValueError("first line is old <size>")
            old = int(head[4:])
            proof = []
            while not rest.startswith("\n"):
                line, rest = rest.split("\n", 1)
                h = base64.b64decode(line, validate=True)
                if len(h) != 32:
                    raise ValueError("a proof line is a 32-byte hash")
                proof.append(h)
            if len(proof) > 63:
                raise ValueError("at most 63 proof lines")
            note = rest[1:]
            ctext, sigs = split_note(note)
            origin, size, root = parse_checkpoint(ctext)
        except (ValueError, UnicodeDecodeError) as e:
            return 400, "text/plain", ("malformed: %s\n" % e).encode()
        vkey = self.logs.get(origin)
        if vkey is None:
            return 404, "text/plain", b"unknown log\n"
        if not verify_note(ctext, sigs, vkey):
            return 403, "text/plain", b"no good signature of a trusted log key\n"
        if old > size:
            return 400, "text/plain", b"old is larger than the checkpoint's size\n"
        with self.lock:
            have_size, have_root = self.state.get(origin, (0, None))
            if old != have_size:
                return 409, "text/x.tlog.size", ("%d\n" % have_size).encode()
            if old == size:
                if have_root is not None and root != have_root:
                    return 409, "text/x.tlog.size", ("%d\n" % have_size).encode()
                if proof:
                    return 422, "text/plain", b"a proof between equal sizes\n"
            elif old == 0:
                if proof:
                    return 422, "text/plain", b"a proof from size 0\n"
            elif not verify_consistency(old, size, have_root, root, proof):
                return 422, "text/plain", b"the proof does not verify\n"
            self.state[origin] = (size, root)
        return 200, "text/plain; charset=utf-8", cosign(ctext, self.name, self.priv, int(time.time())).encode()


def run_witness(args):
    name, priv = args["name"], private_from_seed(args["seed"])
    logs = {}
    for spec in args["log"]:
        origin, vkey = spec.split("=", 1)
        parse_vkey(vkey)
        logs[origin] = vkey
    witness = Witness(name, priv, logs)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            if self.path != "/add-checkpoint":
                self.send_response(404)
                self.end_headers()
                return
            length = int(self.headers.get("Content-Length") or 0)
            status, ctype, body = witness.add_checkpoint(self.rfile.read(length))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", int(args.get("port", "0"))), Handler)
    print(vkey_of(name, 0x04, raw_public(priv)), flush=True)
    print("listening at http://127.0.0.1:%d" % server.server_address[1], flush=True)
    server.serve_forever()


# -------------------------------------------------------------- log role ----


def post(url, body):
    req = urllib.request.Request(url + "/add-checkpoint", data=body, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read().decode()


def run_log(args):
    """Every answer of tlog-witness v1.0.0 from the witness at --url, as a log would meet them."""
    url, wvkey = args["url"], args["witness-vkey"]
    priv = private_from_seed(args["seed"])
    origin, fresh, unknown = args["origin"], args["fresh"], args["unknown"]
    leaves = [leaf_hash(b"entry %d" % i) for i in range(40)]
    results = []

    def request(case, org, old, size, proof=None, signer=priv, tamper=None):
        text = checkpoint_text(org, size, mth(leaves[:size]))
        note = sign_note(text, org, signer)
        if tamper:
            note = tamper(note)
        if proof is None:
            proof = consistency_proof(old, leaves[:size]) if 0 < old < size else []
        body = ("old %d\n" % old + "".join(base64.b64encode(h).decode() + "\n" for h in proof) + "\n" + note).encode()
        status, ctype, answer = post(url, body)
        out = {"case": case, "status": status, "type": ctype, "body": answer}
        if status == 200:
            t = verify_cosignature(text, split_note(text + "\n" + answer)[1], wvkey)
            out["cosigned"] = t is not None
            out["time_skew"] = abs(time.time() - t) if t is not None else None
        results.append(out)

    request("first", origin, 0, 5)
    request("extend", origin, 5, 12)
    request("same again", origin, 12, 12)
    request("stale old", origin, 5, 20)
    bad = consistency_proof(12, leaves[:20])
    bad[0] = bytes([bad[0][0] ^ 1]) + bad[0][1:]
    request("bad proof", origin, 12, 20, proof=bad)
    request("old above size", origin, 20, 12)
    request("proof from zero", fresh, 0, 3, proof=[leaves[0]])
    request("unknown origin", unknown, 0, 3)
    request("another key", origin, 12, 20, signer=Ed25519PrivateKey.generate())

    def flip(note):
        text, sig = note.rsplit(" ", 1)
        raw = bytearray(base64.b64decode(sig))
        raw[10] ^= 1
        return text + " " + base64.b64encode(bytes(raw)).decode() + "\n"

    request("bad signature", origin, 12, 20, tamper=flip)
    status, ctype, answer = post(url, b"old twelve\n\nnot a note")
    results.append({"case": "malformed", "status": status, "type": ctype, "body": answer})
    request("after all that", origin, 12, 20)
    print(json.dumps(results))


# ----------------------------------------------------------- client role ----


def fetch(url, token=None):
    headers = {"Authorization": "Bearer " + token} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return r.read()


def tile_path(level, n, width):
    groups = []
    while True:
        groups.insert(0, "%03d" % (n % 1000))
        n //= 1000
        if n == 0:
            break
    path = "/".join(("x" + g) if i < len(groups) - 1 else g for i, g in enumerate(groups))
    return "tile/%s/%s%s" % (level, path, "" if width == 256 else ".p/%d" % width)


def run_client(args):
    """Reads the log as a tlog-tiles mirror would, and checks everything it can."""
    prefix = args["url"].rstrip("/") + "/"
    token = args.get("token")
    note = fetch(prefix + "checkpoint", token).decode()
    text, sigs = split_note(note)
    origin, size, root = parse_checkpoint(text)
    out = {"origin": origin, "size": size, "log_signed": verify_note(text, sigs, args["log-vkey"])}
    out["cosigned_by"] = [parse_vkey(v)["name"] for v in args.get("witness-vkey", []) if verify_cosignature(text, sigs, v) is not None]
    leaves = []
    for n in range((size + 255) // 256):
        width = min(256, size - n * 256)
        bundle = fetch(prefix + tile_path("entries", n, width), token)
        at = 0
        while at < len(bundle):
            (length,) = struct.unpack(">H", bundle[at : at + 2])
            leaves.append(leaf_hash(bundle[at + 2 : at + 2 + length]))
            at += 2 + length
        hashes = fetch(prefix + tile_path(0, n, width), token)
        if hashes != b"".join(leaves[n * 256 : n * 256 + width]):
            out["tile_mismatch"] = n
    out["entries"] = len(leaves)
    out["root_matches"] = len(leaves) == size and mth(leaves) == root
    print(json.dumps(out))


# -------------------------------------------------------------- vectors ----


def run_vectors(folder):
    """The Go-made witness vectors and transparency-dev's consistency probes, checked here."""
    v = json.load(open(folder + "/witness/vectors.json"))
    log = private_from_seed(v["logSeedHex"])
    wit = private_from_seed(v["witnessSeedHex"])
    log_name = parse_vkey(v["logVkey"])["name"]
    wit_name = parse_vkey(v["witnessCosigVkey"])["name"]
    text, sigs = split_note(v["note"])
    proof = [base64.b64decode(p) for p in v["proof"]]
    checks = {
        "log vkey from its seed": vkey_of(log_name, 0x01, raw_public(log)) == v["logVkey"],
        "witness vkey from its seed": vkey_of(wit_name, 0x04, raw_public(wit)) == v["witnessCosigVkey"],
        "log signature": verify_note(text, sigs, v["logVkey"]),
        "cosignature": verify_cosignature(text, sigs, v["witnessCosigVkey"]) == v["cosigTimestamp"],
        "cosigned message": cosigned_message(text, v["cosigTimestamp"]).decode() == v["cosignedMessage"],
        "same cosignature made here": cosign(text, wit_name, wit, v["cosigTimestamp"]) in v["note"],
        "consistency": verify_consistency(
            v["oldSize"], v["newSize"], base64.b64decode(v["oldRoot"]), base64.b64decode(v["root"]), proof
        ),
        "a wrong proof fails": not verify_consistency(
            v["oldSize"], v["newSize"], base64.b64decode(v["oldRoot"]), base64.b64decode(v["root"]), proof[::-1]
        ),
    }
    b64 = lambda s: base64.b64decode(s) if s else b""
    probes = json.load(open(folder + "/consistency.json"))
    wrong = [
        c["desc"]
        for c in probes
        if verify_consistency(c["size1"], c["size2"], b64(c["root1"]), b64(c["root2"]), [b64(x) for x in c["proof"] or []])
        == bool(c["wantErr"])
    ]
    checks["consistency probes (%d)" % len(probes)] = not wrong
    print(json.dumps(checks))


def parse_args(argv):
    args = {}
    i = 0
    while i < len(argv):
        key = argv[i][2:]
        if key == "cosig":
            args[key] = True
            i += 1
            continue
        if key in ("log", "witness-vkey"):
            args.setdefault(key, []).append(argv[i + 1])
        else:
            args[key] = argv[i + 1]
        i += 2
    return args


def main():
    cmd, rest = sys.argv[1], sys.argv[2:]
    if cmd == "vectors":
        run_vectors(rest[0])
        return
    args = parse_args(rest)
    if cmd == "vkey":
        priv = private_from_seed(args["seed"])
        print(vkey_of(args["name"], 0x04 if args.get("cosig") else 0x01, raw_public(priv)))
    elif cmd == "witness":
        run_witness(args)
    elif cmd == "log-run":
        args["witness-vkey"] = args["witness-vkey"][0]
        run_log(args)
    elif cmd == "client":
        run_client(args)
    else:
        sys.exit("unknown command %s" % cmd)


if __name__ == "__main__":
    main()
