-- PUT {"stock": n} on random products: wrk ... -s put-stock.lua URL -- <products> <admin key>
local products = 1000000
function init(args)
  if args[1] then products = tonumber(args[1]) end
  if args[2] then wrk.headers["X-API-Key"] = args[2] end
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format("PUT", "/api/v1/products/" .. math.random(1, products), nil,
    '{"stock":' .. math.random(0, 500) .. '}')
end
