"""PUT {"stock": n} on random products at a steady rate: paced_writes.py URL KEY PRODUCTS RATE SECONDS.

Eight keep-alive connections share the rate (a write waits for the index, so one connection alone could not
keep up with 100/s); prints how many were sent, how many failed, and the achieved rate."""
import http.client
import json
import random
import sys
import threading
import time
from urllib.parse import urlparse

url, key, products, rate, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
host = urlparse(url)
lanes = 8
sent = [0] * lanes
failed = [0] * lanes


def lane(n):
    if rate <= 0:
        return
    conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
    interval = lanes / rate
    start = time.monotonic() + n * interval / lanes
    end = time.monotonic() + seconds
    k = 0
    while True:
        due = start + k * interval
        if due >= end:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        body = json.dumps({"stock": random.randint(0, 500)})
        try:
            conn.request("PUT", f"/api/v1/products/{random.randint(1, products)}", body,
                         {"Content-Type": "application/json", "X-API-Key": key})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                failed[n] += 1
        except (OSError, http.client.HTTPException):
            failed[n] += 1
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
        sent[n] += 1
        k += 1


threads = [threading.Thread(target=lane, args=(i,)) for i in range(lanes)]
t0 = time.monotonic()
for t in threads:
    t.start()
for t in threads:
    t.join()
took = time.monotonic() - t0
print(f"writes sent {sum(sent)} failed {sum(failed)} rate {sum(sent) / took:.1f}/s")
