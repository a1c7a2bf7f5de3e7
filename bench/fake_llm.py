#!/usr/bin/env python3
"""A small fake OpenAI-compatible Chat Completions server for bench/chat_client.py.

POST /v1/chat/completions answers each request with the next queued script, in OpenAI's
streaming format (chunked `text/event-stream`: `data: {"object": "chat.completion.chunk", ...}`
events, a last chunk with the finish reason, then `data: [DONE]`). Requests without
`Authorization: Bearer <key>` get 401 with OpenAI's error body.

Control (for the client that drives the scenarios):
  POST /script    body: a JSON list of scripts, queued in order; each is one of
                  {"type": "text", "pieces": [...], "delay_ms": 0}
                  {"type": "tools", "calls": [[id, name, arguments_json], ...]}
                  {"type": "drop", "pieces": [...], "delay_ms": 0}   (connection cut before the end)
                  {"type": "status", "status": 503, "error_type": "server_error"}
  GET  /stats     {"requests", "completed", "abandoned", "queued"}
  GET  /requests  the bodies of the chat requests received, in order

Usage: bench/fake_llm.py PORT [KEY]   (prints "ready" on stdout once listening)
"""
import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = sys.argv[2] if len(sys.argv) > 2 else "sk-bench-key"
LOCK = threading.Lock()
SCRIPTS = []
REQUESTS = []
STATS = {"requests": 0, "completed": 0, "abandoned": 0}


def event(model, delta, finish_reason=None):
    chunk = {
        "id": "chatcmpl-bench",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "system_fingerprint": "fp_bench",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }
    return ("data: " + json.dumps(chunk, ensure_ascii=False) + "\n\n").encode()


def deltas(script):
    if script["type"] == "tools":
        out = []
        for index, (call_id, name, arguments) in enumerate(script["calls"]):
            out.append({"tool_calls": [{"index": index, "id": call_id, "type": "function",
                                        "function": {"name": name, "arguments": ""}}]})
            cut = len(arguments) // 2
            for part in (arguments[:cut], arguments[cut:]):
                out.append({"tool_calls": [{"index": index, "function": {"arguments": part}}]})
        return out
    return [{"content": piece} for piece in script.get("pieces", [])]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply_json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length) or b"null")

    def do_GET(self):
        with LOCK:
            if self.path == "/stats":
                self.reply_json(200, dict(STATS, queued=len(SCRIPTS)))
            elif self.path == "/requests":
                self.reply_json(200, REQUESTS)
            else:
                self.reply_json(404, {"error": "not found"})

    def do_POST(self):
        if self.path == "/script":
            scripts = self.body()
            with LOCK:
                SCRIPTS.extend(scripts)
            self.reply_json(200, {"queued": len(scripts)})
            return
        if self.path != "/v1/chat/completions":
            self.reply_json(404, {"error": "not found"})
            return
        request = self.body()
        with LOCK:
            STATS["requests"] += 1
            REQUESTS.append(request)
            script = SCRIPTS.pop(0) if SCRIPTS else {"type": "text", "pieces": ["Default ", "answer."]}
        if self.headers.get("Authorization") != "Bearer " + KEY:
            script = {"type": "status", "status": 401, "error_type": "invalid_api_key"}
        if script["type"] == "status":
            error = {"message": "Fake provider failure (a detail that must not reach clients)",
                     "type": script["error_type"], "param": None, "code": script["error_type"]}
            self.reply_json(script["status"], {"error": error})
            return
        self.stream(request.get("model", "fake"), script)

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def stream(self, model, script):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        delay = script.get("delay_ms", 0) / 1000
        try:
            self.chunk(event(model, {"role": "assistant", "content": ""}))
            for delta in deltas(script):
                if delay:
                    time.sleep(delay)
                self.chunk(event(model, delta))
            if script["type"] == "drop":
                self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return
            finish = "tool_calls" if script["type"] == "tools" else "stop"
            self.chunk(event(model, {}, finish))
            self.chunk(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            with LOCK:
                STATS["completed"] += 1
        except (BrokenPipeError, ConnectionResetError):
            with LOCK:
                STATS["abandoned"] += 1
            self.close_connection = True


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()
