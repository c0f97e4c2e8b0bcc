"""wrk --latency output on stdin -> 'req/s | p50 ms | p99 ms | non-2xx' (a markdown table row's cells)."""
import re
import sys

text = sys.stdin.read()


def ms(percent):
    m = re.search(r"^\s*" + percent + r"%\s+([0-9.]+)(us|ms|s)\s*$", text, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{rate:,.0f} | {ms('50'):.1f} | {ms('99'):.1f} | {bad.group(1) if bad else 0}")
