#!/usr/bin/env python3
"""Webhook deliveries per second and the lag from commit to delivery, against a running server.

Starts a local receiver, creates a project and a webhook on customer.created (rateLimit 1000, the maximum); each new
customer is one event. Throughput: N events kept (SKIPPED) while the webhook is disabled, then queued at once by
POST .../recover; deliveries per second until the last arrives. Lag: a customer's PUT answers after its transaction
committed, so (receipt) - (PUT answered) is an upper bound on commit-to-delivery; measured at a steady 10 events/s and
for lone events. Used by bench/webhooks.sh.
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

    def create(cid):
        call("PUT", "/v1/customers/" + cid, key, {"attributes": {}})
        answered[cid] = time.monotonic()

    # 1. Throughput: N events stored as SKIPPED while the webhook is disabled, then all queued at once by a recover;
    #    deliveries per second = N / (last receipt - recover answered).
    call("PATCH", "/v1/webhooks/bench", key, {"enabled": False})
    since = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 5))
    with concurrent.futures.ThreadPoolExecutor(args.c) as pool:
        list(pool.map(create, ["b-%d" % i for i in range(args.n)]))
    call("PATCH", "/v1/webhooks/bench", key, {"enabled": True})
    t0 = time.monotonic()
    recovered = call("POST", "/v1/webhooks/bench/recover", key, {"since": since})["recovered"]
    if not done.wait(600):
        raise SystemExit("only %d of %d deliveries arrived" % (len(received), args.n))
    last = max(received.values())
    print("throughput: %d deliveries queued at once (recover), all received in %.1f s: %.0f deliveries/s" % (
        recovered, last - t0, recovered / (last - t0)))

    # 2. Lag under a steady load of R events per second (from one client), and of lone events.
    def lag(prefix, count, rate):
        lags = []
        for i in range(count):
            begin = time.monotonic()
            cid = "%s-%d" % (prefix, i)
            create(cid)
            while cid not in received:
                time.sleep(0.0005)
            lags.append((received[cid] - answered[cid]) * 1000)
            time.sleep(max(0.0, 1.0 / rate - (time.monotonic() - begin)))
        lags.sort()
        return "p50 %.0f ms, p95 %.0f ms, max %.0f ms" % (lags[len(lags) // 2], lags[int(len(lags) * 0.95)], lags[-1])

    print("lag from commit (PUT answered) to receipt, 100 events at up to 10/s: " + lag("l", 100, 10))
    print("lag of lone events (20, one per second): " + lag("s", 20, 1))

if __name__ == "__main__":
    main()
