-- The request script of every load run, the same for every application compared.
--
--   wrk -s benchmarks/sessions.lua URL -- METHOD [COOKIE_FILE]
--
-- Without COOKIE_FILE every request is an anonymous visitor's (no cookie). With it, each
-- request carries the cookie of a session picked at random among the file's lines (one
-- "NAME=value" per line), as traffic from many users does. The requests are formatted once,
-- in init(), so that wrk spends the same few instructions per request on every application.

local requests = {}

function init(args)
  local method = args[1] or "GET"
  local file = args[2]
  if file then
    for line in io.lines(file) do
      if #line > 0 then
        requests[#requests + 1] = wrk.format(method, nil, { Cookie = line })
      end
    end
    if #requests == 0 then
      error("no cookies in " .. file)
    end
  else
    requests[1] = wrk.format(method, nil, nil)
  end
  -- A different sequence on each run, and in each of wrk's threads.
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return requests[math.random(#requests)]
end
