import hashlib, hmac, json, os, time
from http.server import BaseHTTPRequestHandler, HTTPServer
SECRET = os.environ["CODVID_WEBHOOK_SECRET"].encode()          # the webhook_secret create_rule answered
class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))            # the raw bytes, as sent
        ts, sig = self.headers["X-Codvid-Timestamp"], self.headers.get("X-Codvid-Signature", "")
        expected = "sha256=" + hmac.new(SECRET, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        ok = hmac.compare_digest(expected, sig) and abs(time.time() - int(ts)) < 300
        self.send_response(204 if ok else 401); self.end_headers()
        if ok: print(self.headers["X-Codvid-Event"], self.headers["X-Codvid-Delivery"], json.loads(body)["metric"], flush=True)
HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8000"))), Receiver).serve_forever()
