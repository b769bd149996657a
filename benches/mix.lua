-- wrk script of the scale run in benches/run.sh: shoppers' requests mixed, each with the
-- shopper's cookies (the file given after `--`, one `Cookie` header value a line: line k is
-- shopper bench-(k-1), and even-numbered shoppers have an order to pay), stopping each thread
-- after its share of the requests (the second argument, per thread) and saying so with a file
-- `done-<thread>` in the folder given third (wrk itself only stops at its duration's end or on
-- SIGINT, which `wrk_until` in benches/lib.sh then sends), counting the answers by class. Out of every ten requests: four profiles without an order (odd shoppers' `/account`),
-- two profiles with a pay form (even shoppers' `/account`), two history pages
-- (`/account?page=2`), two static files (the style sheet, with the cookie).
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    threads[#threads + 1] = thread
end

local cookies, i, n, share, answered, marker = {}, 0, 0, 0, 0, nil
-- Answers by class, globals so that `done` can read them from each thread.
c1, c2, c3, c4, c5 = 0, 0, 0, 0, 0
local slots = { "profile", "profile", "pay", "history", "static", "profile", "profile", "pay", "history", "static" }

function init(args)
    for line in io.lines(args[1]) do
        if #line > 0 then cookies[#cookies + 1] = line end
    end
    share = tonumber(args[2])
    marker = args[3] .. "/done-" .. id
    i = (id * 7919) % #cookies
end

-- The next shopper whose number (line - 1) has the parity asked for (0 even, 1 odd, nil any).
local function next_shopper(parity)
    i = i % #cookies + 1
    if parity and (i - 1) % 2 ~= parity then i = i % #cookies + 1 end
    return cookies[i]
end

function request()
    n = n + 1
    local slot = slots[(n - 1) % #slots + 1]
    if slot == "profile" then
        return wrk.format("GET", "/account", { ["Cookie"] = next_shopper(1) })
    elseif slot == "pay" then
        return wrk.format("GET", "/account", { ["Cookie"] = next_shopper(0) })
    elseif slot == "history" then
        return wrk.format("GET", "/account?page=2", { ["Cookie"] = next_shopper(nil) })
    end
    return wrk.format("GET", "/static/style.css", { ["Cookie"] = next_shopper(nil) })
end

function response(status, headers, body)
    local class = "c" .. math.floor(status / 100)
    _G[class] = (_G[class] or 0) + 1
    answered = answered + 1
    if answered == share then
        wrk.thread:stop()
        local file = io.open(marker, "w")
        if file then file:close() end
    end
end

function done(summary, latency, requests)
    local totals = { 0, 0, 0, 0, 0 }
    for _, thread in ipairs(threads) do
        for class = 1, 5 do
            totals[class] = totals[class] + (thread:get("c" .. class) or 0)
        end
    end
    local e = summary.errors
    io.write(string.format("MIX answers %d 1xx %d 2xx %d 3xx %d 4xx %d 5xx %d\n",
        summary.requests, totals[1], totals[2], totals[3], totals[4], totals[5]))
    io.write(string.format("MIX errors connect %d read %d write %d timeout %d status %d\n",
        e.connect, e.read, e.write, e.timeout, e.status))
    io.write(string.format("MIX latency_ms p50 %.2f p90 %.2f p99 %.2f max %.2f\n",
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000))
    io.write(string.format("MIX seconds %.1f\n", summary.duration / 1e6))
end
