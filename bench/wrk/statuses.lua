-- Shared by the bench/load wrk scripts: counts answers per HTTP status in every thread and
-- prints "status <code>: <count>" lines when wrk is done. Each thread knows its index and the
-- thread count (BENCH_WRK_THREADS: wrk runs a thread's init before the next thread's setup).
local threads = {}
thread_count = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_index", #threads)
end

statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do
      total[code] = (total[code] or 0) + n
    end
  end
  for code, n in pairs(total) do
    io.write(string.format("status %d: %d\n", code, n))
  end
end
