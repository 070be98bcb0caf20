-- wrk script: GET /api/v1/exchange/search with the queries of QUERIES_FILE, one per line, in turn;
-- with FACETS=1, asking for facets as the web app's search page does.
local queries = {}
local next_query = 1

local function encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  for line in io.lines(os.getenv("QUERIES_FILE")) do
    local facets = os.getenv("FACETS") == "1" and "&facets=true" or ""
    queries[#queries + 1] = "/api/v1/exchange/search?limit=10" .. facets .. "&q=" .. encode(line)
  end
  next_query = math.random(#queries)
end

function request()
  local path = queries[next_query]
  next_query = next_query % #queries + 1
  return wrk.format("GET", path)
end
