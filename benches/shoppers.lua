-- wrk script of benches/run.sh: `GET /account`, each request with the next shopper's cookies
-- (one `Cookie` header value a line in the file given first after `--`); each thread stops
-- after its share (the second argument) and leaves a file `done-<thread>` in the folder given
-- third, for benches/lib.sh's `wrk_until` to stop wrk.
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    threads[#threads + 1] = thread
end

local cookies, i, share, answered, marker = {}, 0, 0, 0, nil

function init(args)
    for line in io.lines(args[1]) do
        if #line > 0 then cookies[#cookies + 1] = line end
    end
    share = tonumber(args[2])
    marker = args[3] .. "/done-" .. id
    i = (id * 7919) % #cookies
end

function request()
    i = i % #cookies + 1
    return wrk.format("GET", "/account", { ["Cookie"] = cookies[i] })
end

function response(status, headers, body)
    answered = answered + 1
    if answered == share then
        wrk.thread:stop()
        local file = io.open(marker, "w")
        if file then file:close() end
    end
end
