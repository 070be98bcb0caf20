-- wrk script: booking attempts with unique idempotency keys on random resources and slots.
-- Reads resource ids from RESOURCES_FILE, the bearer token from TOKEN, org id from ORG, the
-- first slot (UTC seconds) from BASE.
local resources = {}
for line in io.lines(os.getenv("RESOURCES_FILE")) do resources[#resources + 1] = line end
local token = os.getenv("TOKEN")
local org = os.getenv("ORG")
local base = tonumber(os.getenv("BASE"))
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
  thread:set("prefix", tostring(thread_id) .. "-" .. tostring(os.time()))
end

-- Each thread draws its own sequence; with one seed the threads would ask for the same slots.
function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
end

function request()
  counter = counter + 1
  local start = base + 1800 * math.random(0, 40 * 48 - 1)
  local body = string.format(
    '{"resource_id":"%s","organization_id":"%s","starts_at":"%s","ends_at":"%s","idempotency_key":"%s-%d"}',
    resources[math.random(1, #resources)], org, os.date("!%Y-%m-%dT%H:%M:%SZ", start),
    os.date("!%Y-%m-%dT%H:%M:%SZ", start + 3600), prefix, counter)
  return wrk.format("POST", "/api/v1/bookings",
                    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

local created, conflicts, other = 0, 0, 0
function response(status)
  if status == 201 then created = created + 1
  elseif status == 409 then conflicts = conflicts + 1
  else other = other + 1 end
end
