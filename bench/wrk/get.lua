-- An authenticated GET (path from the command line, token in BENCH_TOKEN), counting statuses.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
require("statuses")

wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
