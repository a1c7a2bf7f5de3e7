#!/usr/bin/env python3
"""A chat client in Python `requests`, written to the original Codvid clients' data_mods rules,
that drives a running node through every chat scenario and checks after each one that it holds
exactly what get-project-data answers (who said what, in order, and mod_count) without a reload.

It reads the stream as the original demo client does: one JSON document per HTTP chunk
(`iter_content(chunk_size=None)`), so it also checks that the server never splits or joins lines.

Usage (bench/chat starts everything and calls this):
  bench/chat_client.py --model-node URL --fake-llm URL --offline-node URL
    --model-node    a node configured with the fake provider (bench/fake_llm.py), chat.max_messages=12
    --offline-node  a node without a provider (built-in assistant), chat.max_messages=8, chat.when_full=refuse
Exits non-zero at the first difference.
"""
import argparse
import json
import threading
import time
import uuid

import requests


class Mismatch(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Mismatch(message)


# ---------------------------------------------------------------- the original clients' rules

def apply_data_mods(user_data, mods):
    """Applies one chunk's mods in order, then adds 1 to mod_count of every project it touched."""
    touched = set()
    for mod in mods:
        key_path, mode, value = mod["key_path"], mod["mode"], mod.get("value")
        if (len(key_path) >= 2 and key_path[0] == "projects" and isinstance(key_path[1], str)
                and not (len(key_path) == 3 and key_path[2] == "mod_count")):
            touched.add(key_path[1])
        target = user_data
        for key in key_path[:-1]:
            if isinstance(target, dict):
                if key not in target:
                    if mode != "create":
                        raise KeyError(f"{key!r} not found in {key_path}")
                    target[key] = {}
                target = target[key]
            elif isinstance(target, list) and type(key) is int:
                if key >= len(target):
                    raise IndexError(f"{key} out of range in {key_path}")
                target = target[key]
            else:
                raise TypeError(f"cannot walk {key!r} in {key_path}")
        last = key_path[-1]
        if mode == "append":
            if isinstance(target, dict):
                if not isinstance(target.get(last), list):
                    target[last] = []
                target[last].append(value)
            else:
                if not isinstance(target[last], list):
                    target[last] = []
                target[last].append(value)
        elif mode == "edit":
            if isinstance(target, dict) and last not in target:
                raise KeyError(f"{last!r} not found for edit in {key_path}")
            target[last] = value
        elif mode == "create":
            if isinstance(target, dict):
                target[last] = value
            elif last == len(target):
                target.append(value)
            else:
                target[last] = value
        elif mode == "del":
            if isinstance(target, dict):
                target.pop(last, None)
            elif last < len(target):
                target.pop(last)
        else:
            raise ValueError(f"unknown mode {mode!r}")
    for name in touched:
        project = user_data.get("projects", {}).get(name)
        if project is not None:
            project["mod_count"] = project.get("mod_count", 0) + 1


class Client:
    def __init__(self, base, token):
        self.base = base.rstrip("/") + "/codvid-ai"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.user_data = {"projects": {}}
        self.reloads = 0

    @classmethod
    def signup(cls, base):
        email = f"py-chat-{uuid.uuid4().hex[:10]}@example.com"
        body = {"schema_version": "4.0", "data": {"auth_type": "email", "email": email, "password": "pw-chat-123"}}
        response = requests.post(base.rstrip("/") + "/codvid-ai/auth/signup", json=body, timeout=30)
        check(response.status_code == 201, f"signup: {response.status_code} {response.text}")
        return cls(base, response.json()["token"])

    def post(self, route, data, **kwargs):
        return requests.post(self.base + route, json={"schema_version": "4.0", "data": data},
                             headers=self.headers, timeout=60, **kwargs)

    def server_project(self, name):
        response = self.post("/project/get-project-data", {"project_name": name})
        check(response.status_code == 200, f"get-project-data: {response.status_code} {response.text}")
        return response.json()["response"]["project_data"]

    def server_mod_count(self, name):
        return self.post("/project/get-project-mod-count", {"project_name": name}).json()["response"]["mod_count"]

    def create_project(self, name):
        response = self.post("/project/create-project", {"project_name": name})
        check(response.status_code == 200, f"create-project: {response.status_code} {response.text}")
        self.load(name)

    def load(self, name):
        self.user_data["projects"][name] = self.server_project(name)

    def project(self, name):
        return self.user_data["projects"][name]

    def check_and_reload(self, name):
        """As the clients do after a stream: reload only when mod_count differs. True when it had to."""
        if self.server_mod_count(name) != self.project(name).get("mod_count"):
            self.load(name)
            self.reloads += 1
            return True
        return False

    def stream(self, route, data, stop_when=None):
        """Posts and applies every chunk; one HTTP chunk must be one JSON document. Answers (status, lines)."""
        response = requests.post(self.base + route, json={"schema_version": "4.0", "data": data},
                                 headers=self.headers, timeout=60, stream=True)
        lines = []
        try:
            for piece in response.iter_content(chunk_size=None, decode_unicode=True):
                if not piece:
                    continue
                try:
                    line = json.loads(piece)
                except ValueError:
                    raise Mismatch(f"an HTTP chunk is not one JSON document: {piece!r}")
                lines.append(line)
                if line.get("result") is True:
                    # the clients put the mod's value itself into their data; apply a copy so that
                    # the line keeps what was sent, for the checks below
                    apply_data_mods(self.user_data, json.loads(piece)["response"]["data_mods"])
                if stop_when is not None and stop_when(line):
                    break
        finally:
            response.close()
        return response.status_code, lines

    def ask(self, name, text, shape="object", stop_when=None):
        """The demo client's turn: its own message first (one step), then the stream."""
        if text:
            apply_data_mods(self.user_data, [{"key_path": ["projects", name, "chats"], "mode": "append",
                                              "value": {"role": "user", "type": "text", "text": text}}])
        if shape == "string":
            data = {"project_name": name, "message": text, "stream": True}
        else:
            data = {"project_name": name, "message": {"role": "user", "type": "text", "text": text}}
        return self.stream("/ai/respond", data, stop_when)

    def assert_same_as_server(self, name, what):
        server = self.server_project(name)
        mine = self.project(name)
        check(mine["mod_count"] == server["mod_count"],
              f"{what}: mod_count {mine['mod_count']} here, {server['mod_count']} on the server")
        theirs, ours = server["chats"], mine["chats"]
        check(len(theirs) == len(ours), f"{what}: {len(ours)} messages here, {len(theirs)} on the server")
        for i, (stored, held) in enumerate(zip(theirs, ours)):
            if set(held) <= {"role", "type", "text"}:
                same = all(stored.get(k) == held[k] for k in held)
            else:
                same = stored == held
            check(same, f"{what}: chats[{i}] differs:\n  server {stored}\n  client {held}")
        return server


def mods_of(lines):
    return [mod for line in lines if line.get("result") for mod in line["response"]["data_mods"]]


def chunks_of(lines):
    return [line["response"]["data_mods"] for line in lines if line.get("result")]


def well_formed(lines, name):
    for mod in mods_of(lines):
        check(mod["key_path"][:3] == ["projects", name, "chats"], f"mod outside the project's chats: {mod}")
        if mod["mode"] == "append":
            check(len(mod["key_path"]) == 3 and isinstance(mod["value"], dict), f"append of a part: {mod}")


class Fake:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def script(self, *scripts):
        requests.post(self.url + "/script", json=list(scripts), timeout=10).raise_for_status()

    def stats(self):
        return requests.get(self.url + "/stats", timeout=10).json()

    def requests(self):
        return requests.get(self.url + "/requests", timeout=10).json()


def ok(message):
    print(f"  ok  {message}", flush=True)


# ---------------------------------------------------------------- scenarios

def model_scenarios(node, fake):
    c = Client.signup(node)
    chat, other = "Python chat ✓", "other project"
    c.create_project(chat)
    c.create_project(other)

    fake.script({"type": "text", "pieces": ["Hello", ", ", "world", "! ✨"], "delay_ms": 150})
    status, lines = c.ask(chat, "Hi there, how are my reels? 🎬")
    check(status == 200 and all(l["result"] for l in lines), f"plain answer: {status} {lines[-1:]}")
    well_formed(lines, chat)
    check(not any("how are my reels" in json.dumps(l, ensure_ascii=False) for l in lines), "the user's message came back")
    text_mods = [m for m in mods_of(lines) if m["mode"] == "edit" or m["value"].get("type") == "text"]
    first_text, edits = text_mods[0], [m["value"] for m in text_mods[1:]]
    check(first_text["mode"] == "append" and first_text["value"]["text"], f"first text chunk: {first_text}")
    growing = [first_text["value"]["text"]] + edits
    check(all(b.startswith(a) and len(b) > len(a) for a, b in zip(growing, growing[1:])) and growing[-1] == "Hello, world! ✨",
          f"the text does not grow by edits of the text so far: {growing}")
    check(not c.check_and_reload(chat), "plain answer: the client had to reload")
    server = c.assert_same_as_server(chat, "plain answer")
    check(server["chats"][-1]["text"] == "Hello, world! ✨", server["chats"][-1])
    check(c.project(other)["mod_count"] == 0, "another project was touched")
    ok(f"plain answer: {len(lines)} chunks, text appended with its first piece then {len(edits)} edits; "
       f"mod_count {server['mod_count']} = server; {len(server['chats'])} messages equal; no reload")

    fake.script({"type": "tools", "calls": [["call_1", "list_reel_tasks", "{}"], ["call_2", "list_tracked_profiles", "{}"]]},
                {"type": "text", "pieces": ["No reels ", "tracked yet."]})
    status, lines = c.ask(chat, "What do my reels do?")
    well_formed(lines, chat)
    tools = [m for m in c.project(chat)["chats"] if m.get("role") == "tool"]
    check(len(tools) == 2 and tools[0]["result"]["total_reels"] == 0, f"tool round: {tools}")
    check(not c.check_and_reload(chat), "tool round: the client had to reload")
    server = c.assert_same_as_server(chat, "tool round")
    ok(f"tool round: 2 tool messages appended whole, results set by edit; mod_count {server['mod_count']} = server; no reload")

    fake.script({"type": "drop", "pieces": ["Partial ", "answer"]})
    status, lines = c.ask(chat, "And the sentiment?")
    check(lines[-1].get("result") is False and "broke off" in lines[-1]["message"], f"failure: {lines[-1]}")
    check("Fake provider" not in json.dumps(lines), "the provider's text reached the client")
    check(not c.check_and_reload(chat), "provider failure: the client had to reload")
    server = c.assert_same_as_server(chat, "provider failure mid-stream")
    check(server["chats"][-2]["text"] == "Partial answer" and server["chats"][-1]["event_type"] == "error", server["chats"][-2:])
    ok(f"provider failure mid-stream: partial text kept, error event applied, last line result:false; "
       f"mod_count {server['mod_count']} = server; no reload")

    fake.script({"type": "text", "pieces": ["Again."]})
    before_users = sum(1 for m in c.project(chat)["chats"] if m["role"] == "user")
    status, lines = c.ask(chat, "")
    check(status == 200, f"/r: {status} {lines}")
    check(not c.check_and_reload(chat), "/r: the client had to reload")
    server = c.assert_same_as_server(chat, "/r")
    check(sum(1 for m in server["chats"] if m["role"] == "user") == before_users, "/r stored a user message")
    sent = fake.requests()[-1]["messages"]
    check(all(m["content"] for m in sent if m["role"] == "user"), f"/r sent an empty question: {sent}")
    check(sent[-2:] == [{"role": "user", "content": "And the sentiment?"}, {"role": "assistant", "content": "Partial answer"}],
          f"/r context: {sent[-2:]}")
    ok(f"\"/r\": answered from the chat, no user message stored; mod_count {server['mod_count']} = server; no reload")

    fake.script({"type": "text", "pieces": ["String ", "shape."]})
    status, lines = c.ask(chat, "Analyze my Instagram data 📊", shape="string")
    check(status == 200, f"string shape: {status}")
    check(not c.check_and_reload(chat), "string shape: the client had to reload")
    server = c.assert_same_as_server(chat, "string shape")
    ok(f"message as a plain string with stream: true; mod_count {server['mod_count']} = server; no reload")

    status, lines = c.stream("/ai/respond-stream-test", {})
    check(status == 200 and len(lines) > 5 and all(l["result"] for l in lines), f"stream test {{}}: {status} {lines[:2]}")
    check(c.user_data["stream_test"]["text"].startswith("This is a test stream"), c.user_data.get("stream_test"))
    server = c.assert_same_as_server(chat, "respond-stream-test with data {}")
    raw = requests.post(c.base + "/ai/respond-stream-test", headers=c.headers, timeout=30)
    check(raw.status_code == 200 and all(json.loads(l)["result"] for l in raw.text.splitlines()), f"no body: {raw.status_code}")
    ok(f"respond-stream-test with data {{}} and with no body: {len(lines)} chunks into user_data['stream_test'], no project touched")

    status, lines = c.stream("/ai/respond-stream-test", {"project_name": chat})
    check(status == 200 and not c.check_and_reload(chat), "stream test in a project: reload needed")
    c.assert_same_as_server(chat, "respond-stream-test with a project")
    ok("respond-stream-test with a project: test answer in its chat, in sync, no reload")

    status, lines = c.ask(chat, "   ")
    check(status == 400 and lines[0]["result"] is False, f"blank text: {status} {lines}")
    check(c.check_and_reload(chat), "after a refused message the counts must differ")
    c.assert_same_as_server(chat, "after a 400")
    ok(f"a blank text is a 400 before anything streams; the client's count differs and one reload repairs it")

    fake.script({"type": "text", "pieces": ["One ", "two ", "three ", "four ", "five ", "six "], "delay_ms": 250})
    gone = "disconnect"
    c.create_project(gone)
    abandoned_before = fake.stats()["abandoned"]
    status, lines = c.ask(gone, "count slowly", stop_when=lambda l: "One two " in json.dumps(l))
    held_text = c.project(gone)["chats"][-1]["text"]
    deadline = time.time() + 10
    while time.time() < deadline:
        chats = c.server_project(gone)["chats"]
        if chats[-1].get("event_type") == "interrupted":
            break
        time.sleep(0.1)
    check(chats[-1].get("event_type") == "interrupted", f"no interrupted event: {chats[-2:]}")
    check(chats[-2]["text"].startswith(held_text) and held_text.startswith("One two "), f"partial text: {chats[-2]}")
    time.sleep(1.0)
    check(fake.stats()["abandoned"] > abandoned_before, "the provider stream was not stopped")
    check(c.check_and_reload(gone), "after a disconnect the counts must differ")
    fake.script({"type": "text", "pieces": ["Back."]})
    status, lines = c.ask(gone, "are you there?")
    check(status == 200 and not c.check_and_reload(gone), "the project is not free again")
    c.assert_same_as_server(gone, "after a disconnect")
    ok("client disconnect: generation stopped, partial text kept + interrupted event; one reload, then in sync again")

    busy = "busy"
    c.create_project(busy)
    fake.script({"type": "text", "pieces": ["slow ", "answer ", "here"], "delay_ms": 300})
    started = threading.Event()
    result = {}

    def first():
        result["first"] = c.ask(busy, "first", stop_when=lambda l: started.set() and False)

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(10)
    second = c.post("/ai/respond", {"project_name": busy, "message": {"role": "user", "type": "text", "text": "second"}})
    thread.join(30)
    check(second.status_code == 409 and second.json()["message"] == "An answer is already being generated for this project",
          f"second answer: {second.status_code} {second.text}")
    check(result["first"][0] == 200 and not c.check_and_reload(busy), "the first answer: reload needed")
    c.assert_same_as_server(busy, "the answer that was streaming during the 409")
    ok("a second answer for the same project while one streams: 409 before anything streams")

    long = "long past"
    c.create_project(long)
    dels = 0
    for i in range(8):
        fake.script({"type": "text", "pieces": [f"Answer {i}"]})
        status, lines = c.ask(long, f"question {i}")
        dels += sum(1 for m in mods_of(lines) if m["mode"] == "del")
        check(status == 200 and not c.check_and_reload(long), f"long past, turn {i}: reload needed")
        server = c.assert_same_as_server(long, f"long past, turn {i}")
        check(len(server["chats"]) <= 12 + 2, f"chat grew to {len(server['chats'])}")
    check(dels > 0, "no oldest message was removed")
    ok(f"long past with chat.max_messages=12: 8 turns, {dels} oldest messages removed by del mods, "
       f"{len(server['chats'])} kept; in sync after every turn, no reload")
    return c.reloads


def offline_scenarios(node):
    c = Client.signup(node)
    name = "built-in"
    c.create_project(name)
    for text in ("How are my reels doing?", "And my profiles?"):
        status, lines = c.ask(name, text)
        well_formed(lines, name)
        check(status == 200 and not c.check_and_reload(name), f"built-in assistant: {status}")
        server = c.assert_same_as_server(name, "built-in assistant")
    ok(f"built-in assistant: 2 answers with tool calls, in sync ({len(server['chats'])} messages), no reload")
    status, lines = c.ask(name, "one more")
    check(status == 409 and lines[0]["message"].startswith("The chat of this project is full"), f"full: {status} {lines}")
    check(c.check_and_reload(name), "after the 409 the client's own message must make the counts differ")
    server = c.assert_same_as_server(name, "after the 409")
    ok(f"chat.when_full=refuse: the full chat answers 409 before streaming, keeps all {len(server['chats'])} messages; one reload")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model-node", required=True)
    parser.add_argument("--fake-llm", required=True)
    parser.add_argument("--offline-node", required=True)
    args = parser.parse_args()
    print(f"chat client (Python requests {requests.__version__}) against {args.model_node} (fake provider) "
          f"and {args.offline_node} (built-in assistant)", flush=True)
    started = time.time()
    model_scenarios(args.model_node, Fake(args.fake_llm))
    offline_scenarios(args.offline_node)
    print(f"all chat scenarios in sync ({time.time() - started:.1f} s)")


if __name__ == "__main__":
    try:
        main()
    except Mismatch as e:
        raise SystemExit(f"MISMATCH: {e}")
