#!/usr/bin/env bash
# Single-request latency of the main query shapes against a running gridserve:
# warm-up, then N requests each; prints the median end-to-end time (curl) and server time (Server-Timing app).
# Usage: bench/latency.sh [base-url] [runs]
set -euo pipefail
BASE=${1:-http://localhost:8000}
RUNS=${2:-20}
API="$BASE/api/v1/products"

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

measure() {
  local name=$1 url=$2 e2e=() srv=()
  for _ in $(seq 1 5); do curl -s -o /dev/null "$url"; done
  local tmp; tmp=$(mktemp)
  for _ in $(seq 1 "$RUNS"); do
    curl -s -o /dev/null -D "$tmp.h" -w '%{time_total}\n' "$url" >> "$tmp.t"
    grep -i '^server-timing' "$tmp.h" | sed -E 's/.*app;dur=([0-9.]+).*/\1/' >> "$tmp.s"
  done
  printf '| %-44s | %8s | %8s |\n' "$name" \
    "$(awk '{print $1*1000}' "$tmp.t" | median)" "$(median < "$tmp.s")"
  rm -f "$tmp" "$tmp.t" "$tmp.s" "$tmp.h"
}

# a cursor 200 pages (10,000 rows) deep into the price-sorted list
cursor=""
for _ in $(seq 1 200); do
  cursor=$(curl -s "$API?sort_by=price&sort_order=asc&page_size=50${cursor:+&cursor=$cursor}" \
    | sed -E 's/.*"next_cursor":"?([^",}]*)"?.*/\1/')
done

total=$(curl -s "$API?page_size=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
echo "products: $total, runs per shape: $RUNS (median ms)"
echo "| shape                                        | e2e ms   | server ms |"
echo "|----------------------------------------------|----------|-----------|"
measure "first page (created_at desc, 50)" "$API"
measure "category + price range, sorted by price" "$API?category=Electronics&min_price=100&max_price=500&sort_by=price&sort_order=asc"
measure "search \"laptop\"" "$API?search=laptop"
measure "search-as-you-type \"lap\"" "$API?search=lap"
measure "two-letter search \"ch\"" "$API?search=ch"
measure "cursor page 200 deep (price asc)" "$API?sort_by=price&sort_order=asc&page_size=50&cursor=$cursor"
measure "page 2000 by number (price asc)" "$API?sort_by=price&sort_order=asc&page=2000&page_size=50"
measure "facets on search \"pro\"" "$API?search=pro&facets=category,brand,tags"
measure "stats summary" "$API/stats/summary"
measure "get by id" "$API/1"
