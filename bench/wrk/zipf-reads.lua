-- 3,000 distinct list queries drawn with Zipf(1.0) popularity, as a grid UI's traffic looks (the same set as
-- the Java bench's Shapes.zipf), counting how each was answered from the X-Cache header:
--   wrk ... -s zipf-reads.lua URL      (each thread counts; done() sums them)
local cats = {"Electronics", "Clothing", "Home+%26+Kitchen", "Sports", "Books", "Toys", "Beauty", "Automotive",
  "Garden", "Health", "Office", "Pet+Supplies"}
local sorts = {"created_at", "price", "rating", "name"}
local distinct = 3000
local queries, cdf, total = {}, {}, 0
for i = 0, distinct - 1 do
  local q = "/api/v1/products?category=" .. cats[(i % #cats) + 1] .. "&sort_by=" ..
    sorts[(math.floor(i / #cats) % #sorts) + 1] .. "&page=" .. (1 + math.floor(i / 48) % 10) .. "&page_size=50"
  if math.floor(i / 480) > 0 then q = q .. "&min_price=" .. math.floor(i / 480) * 10 end
  queries[i + 1] = q
  total = total + 1 / (i + 1)
  cdf[i + 1] = total
end
counts = {}
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(7)
end
request = function()
  local u = math.random() * total
  local lo, hi = 1, distinct
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cdf[mid] < u then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", queries[lo])
end
response = function(status, headers, body)
  local c = headers["X-Cache"] or ("status-" .. status)
  counts[c] = (counts[c] or 0) + 1
end
done = function(summary, latency, requests)
  local all, n = {}, 0
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do all[k] = (all[k] or 0) + v; n = n + v end
  end
  for k, v in pairs(all) do io.write(string.format("X-Cache %s %d %.4f\n", k, v, v / n)) end
end
