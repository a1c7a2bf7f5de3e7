-- POST /codvid-ai/auth/login with the seeded user's credentials (BENCH_LOGIN_BODY).
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
require("statuses")

wrk.method = "POST"
wrk.body = os.getenv("BENCH_LOGIN_BODY")
wrk.headers["Content-Type"] = "application/json"
