#!/usr/bin/env python3
"""Seeds a fresh node for bench/load and writes what the wrk runs need into a directory.

Usage: load_seed.py <base_url> <out_dir> reads
         user load@bench.local: 100 profile tasks (get_tasks), the first one force-scraped and
         waited for, so get_task answers full data (3 posts x 10 comments, sample source), and a
         project "load project" with 3 reel tasks (get-project-data);
         writes token, full_task_id, login_body, project_name.
       load_seed.py <base_url> <out_dir> scrape <count>
         user scrape@bench.local: <count> profile tasks for the force_scrape run;
         writes scrape_token, scrape_task_ids (one per line).
"""
import concurrent.futures
import json
import os
import sys
import time

import requests

TIMEOUT = 30


def envelope(data):
    return {"schema_version": "4.0", "data": data}


def signup(session, base, email, password):
    r = session.post(f"{base}/codvid-ai/auth/signup", timeout=TIMEOUT,
                     json=envelope({"auth_type": "email", "email": email, "password": password}))
    r.raise_for_status()
    return r.json()["token"]


def create_tasks(base, token, prefix, count, workers=8):
    headers = {"Authorization": f"Bearer {token}"}

    def create(i):
        with requests.post(f"{base}/codvid-ai/ig-tracking/create_task", headers=headers, timeout=TIMEOUT,
                           json=envelope({"target_profile": f"{prefix}{i:05d}"})) as r:
            r.raise_for_status()
            return i, r.json()["response"]["task_id"]

    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return [task_id for _, task_id in sorted(pool.map(create, range(count)))]


def scrape_and_wait(session, base, token, task_id, deadline_s=60):
    headers = {"Authorization": f"Bearer {token}"}
    r = session.post(f"{base}/codvid-ai/ig-tracking/force_scrape/{task_id}", headers=headers, timeout=TIMEOUT)
    r.raise_for_status()
    end = time.time() + deadline_s
    while time.time() < end:
        status = session.get(f"{base}/codvid-ai/ig-tracking/task_status/{task_id}", headers=headers,
                             timeout=TIMEOUT).json()["response"]
        if not status["is_processing"]:
            break
        time.sleep(0.1)
    task = session.get(f"{base}/codvid-ai/ig-tracking/get_task/{task_id}", headers=headers,
                       timeout=TIMEOUT).json()["response"]
    posts = (task.get("target_profile_data") or {}).get("scraped_posts") or []
    comments = sum(len(p.get("top_comments") or []) for p in posts)
    if len(posts) != 3 or comments != 30:
        sys.exit(f"seed: the force-scraped task has {len(posts)} posts / {comments} comments, expected 3 / 30")
    return len(posts), comments


def create_project(session, base, token, name, reels):
    headers = {"Authorization": f"Bearer {token}"}
    r = session.post(f"{base}/codvid-ai/project/create-project", headers=headers, timeout=TIMEOUT,
                     json=envelope({"project_name": name, "description": "Benchmark project",
                                    "keywords": ["load", "bench"]}))
    r.raise_for_status()
    for i in range(reels):
        r = session.post(f"{base}/codvid-ai/ig-tracking/create_reel_task", headers=headers, timeout=TIMEOUT,
                         json=envelope({"project_name": name,
                                        "reel_url": f"https://www.instagram.com/reel/LoadReel{i:04d}/"}))
        r.raise_for_status()
    return name


def write(out, files):
    for name, text in files.items():
        with open(os.path.join(out, name), "w") as f:
            f.write(text)


def seed_reads(base, out):
    session = requests.Session()
    started = time.time()
    password = "load-bench-password"
    token = signup(session, base, "load@bench.local", password)
    ids = create_tasks(base, token, "load_profile_", 100)
    posts, comments = scrape_and_wait(session, base, token, ids[0])
    project = create_project(session, base, token, "load project", 3)
    write(out, {
        "project_name": project,
        "token": token,
        "full_task_id": ids[0],
        "login_body": json.dumps(envelope({"auth_type": "email", "email": "load@bench.local", "password": password})),
    })
    headers = {"Authorization": f"Bearer {token}"}
    size = len(session.get(f"{base}/codvid-ai/ig-tracking/get_task/{ids[0]}", headers=headers, timeout=TIMEOUT).content)
    tasks_size = len(session.get(f"{base}/codvid-ai/ig-tracking/get_tasks", headers=headers, timeout=TIMEOUT).content)
    print(f"seeded in {time.time() - started:.1f} s: 100 tasks (get_tasks body {tasks_size} bytes), "
          f"one with {posts} posts x {comments // posts} comments (get_task body {size} bytes)")


def seed_scrape(base, out, count):
    session = requests.Session()
    started = time.time()
    token = signup(session, base, "scrape@bench.local", "load-bench-password")
    ids = create_tasks(base, token, "scrape_profile_", count)
    write(out, {"scrape_token": token, "scrape_task_ids": "\n".join(ids) + "\n"})
    print(f"created {len(ids)} tasks of another user for force_scrape in {time.time() - started:.1f} s")


def main():
    base, out, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "reads":
        seed_reads(base, out)
    else:
        seed_scrape(base, out, int(sys.argv[4]))


if __name__ == "__main__":
    main()
