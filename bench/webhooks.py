#!/usr/bin/env python3
"""Webhook deliveries per second and the lag from commit to delivery, against a running server.

Starts a local receiver, creates a project and a webhook on customer.created (rateLimit 1000, the maximum), then
creates N customers from C client threads. Each customer's PUT answers after its transaction committed, so the lag of
an event is (time the receiver got it) - (time its PUT answered): an upper bound on commit-to-delivery. Prints
deliveries per second (first to last receipt) and the lag percentiles. Used by bench/webhooks.sh.
"""
import argparse, concurrent.futures, http.server, json, threading, time, urllib.request


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--root-key", required=True)
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("-c", type=int, default=8)
    args = ap.parse_args()

    received, lock, done = {}, threading.Lock(), threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            at = time.monotonic()
            cid = json.loads(body)["data"]["id"]
            with lock:
                received.setdefault(cid, at)
                if len(received) >= args.n:
                    done.set()
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a):
            pass

    sink = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=sink.serve_forever, daemon=True).start()

    def call(method, path, key, body=None):
        req = urllib.request.Request(args.url + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"null")

    key = call("POST", "/v1/projects", args.root_key, {"name": "whbench-%d" % time.time_ns()})["apiKey"]
    call("POST", "/v1/webhooks", key, {"name": "bench", "url": "http://127.0.0.1:%d/" % sink.server_address[1],
                                         "events": ["customer.created"], "secret": "whsec_" + "A" * 32, "rateLimit": 1000})
    answered = {}

    def create(i):
        cid = "b-%d" % i
        call("PUT", "/v1/customers/" + cid, key, {"attributes": {"n": i}})
        answered[cid] = time.monotonic()

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(args.c) as pool:
        list(pool.map(create, range(args.n)))
    sent = time.monotonic() - start
    if not done.wait(300):
        raise SystemExit("only %d of %d deliveries arrived" % (len(received), args.n))
    times = sorted(received.values())
    lags = sorted(received[c] - answered[c] for c in answered)
    pct = lambda p: lags[min(len(lags) - 1, int(p * len(lags)))] * 1000
    print("%d events created in %.1f s (%.0f/s, %d clients); %d deliveries in %.1f s: %.0f deliveries/s" % (
        args.n, sent, args.n / sent, args.c, len(times), times[-1] - times[0], len(times) / (times[-1] - times[0])))
    print("lag from commit (PUT answered) to delivery: p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms" % (
        pct(0.5), pct(0.95), pct(0.99), lags[-1] * 1000))
    # One event at a time, no load: the lag of a lone event.
    solo = []
    for i in range(20):
        cid = "s-%d" % i
        call("PUT", "/v1/customers/" + cid, key, {"attributes": {}})
        t = time.monotonic()
        while cid not in received:
            time.sleep(0.001)
        solo.append((received[cid] - t) * 1000)
    solo.sort()
    print("lone events (20, one at a time): lag p50 %.0f ms, max %.0f ms" % (solo[10], solo[-1]))


if __name__ == "__main__":
    main()
