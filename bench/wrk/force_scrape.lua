-- POST /codvid-ai/ig-tracking/force_scrape/<id> over the task ids in BENCH_TASK_IDS (one per
-- line), each wrk thread walking its own share of the list, so an id is asked again only after
-- every other id of that share was.
package.path = os.getenv("BENCH_WRK_DIR") .. "/?.lua;" .. package.path
require("statuses")

local ids = {}
local next_index = 0
local headers = {}

function init(args)
  local all = {}
  for line in io.lines(os.getenv("BENCH_TASK_IDS")) do
    if line ~= "" then
      all[#all + 1] = line
    end
  end
  for i, id in ipairs(all) do
    if (i - 1) % thread_count == thread_index - 1 then
      ids[#ids + 1] = id
    end
  end
  headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
end

function request()
  next_index = next_index % #ids + 1
  return wrk.format("POST", "/codvid-ai/ig-tracking/force_scrape/" .. ids[next_index], headers, nil)
end
