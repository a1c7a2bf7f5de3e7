#!/usr/bin/env python3
"""A real client in another language: Python requests against a running node.

Usage: bench/smoke_client.py [base_url]   (default http://127.0.0.1:8080)
Exits non-zero on the first unexpected answer.
"""
import sys
import uuid

import requests

BASE = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080") + "/codvid-ai"


def envelope(data):
    return {"schema_version": "4.0", "data": data}


def check(response, status):
    if response.status_code != status:
        sys.exit(f"{response.request.method} {response.url}: expected {status}, got {response.status_code} {response.text}")
    return response.json()


email = f"py-{uuid.uuid4().hex[:8]}@example.com"
check(requests.get(f"{BASE}/ping"), 200)
token = check(requests.post(f"{BASE}/auth/signup", json=envelope({"auth_type": "email", "email": email, "password": "smoke-password-123"})), 201)["token"]
token = check(requests.post(f"{BASE}/auth/login", json=envelope({"auth_type": "email", "email": email, "password": "smoke-password-123"})), 201)["token"]
headers = {"Authorization": f"Bearer {token}"}
check(requests.post(f"{BASE}/project/create-project", json=envelope({"project_name": "Python ✓ 🚀"}), headers=headers), 200)
names = check(requests.post(f"{BASE}/project/get-project-list", headers=headers), 200)["response"]["project_list"]
assert names == ["Python ✓ 🚀"], names
data = check(requests.post(f"{BASE}/project/get-project-data", json=envelope({"project_name": "Python ✓ 🚀"}), headers=headers), 200)
assert data["response"]["project_data"]["mod_count"] == 0
check(requests.delete(f"{BASE}/user/delete-account", headers=headers), 200)
check(requests.post(f"{BASE}/project/get-project-list", headers=headers), 401)
print("python client: all calls answered as expected")
