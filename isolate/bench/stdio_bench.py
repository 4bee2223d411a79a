#!/usr/bin/env python3
"""Ad-hoc #14 harness for the sandbox workers (not a test): drives a codemode jar over MCP stdio with the GitHub spec
against a local upstream, and prints trivial-execute p50, per-upstream-call cost, first-execute time and the RSS of
the server and its worker JVMs after 50 executes + 40 searches.

usage: stdio_bench.py JAR [JAR...] [--rounds N] [--extra ARGS]   (jars are measured interleaved, medians reported)
"""
import json, os, subprocess, sys, threading, time, statistics, http.server, socketserver

SPEC = os.environ.get("SPEC", "/work/shared/specs/github-rest-3.0.json")

class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        b = json.dumps({"id": 1, "full_name": "o/r", "items": [{"n": i, "name": "x" * 20} for i in range(20)]}).encode()
        self.send_response(200); self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(b))); self.end_headers(); self.wfile.write(b)
    def log_message(self, *a): pass

class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

def upstream():
    s = S(("127.0.0.1", 0), H)
    threading.Thread(target=s.serve_forever, daemon=True).start()
    return s.server_address[1]

def rss_kb(pid):
    try:
        for l in open(f"/proc/{pid}/status"):
            if l.startswith("VmRSS:"):
                return int(l.split()[1])
    except OSError:
        return 0
    return 0

def children(pid):
    """Worker JVMs of the server (not the one-off class-archive dump, which runs once per jar)."""
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    kids = []
    for x in out:
        try:
            if b"ArchiveClassesAtExit" in open(f"/proc/{x}/cmdline", "rb").read():
                continue
        except OSError:
            continue
        kids.append(int(x))
    return kids

class Session:
    def __init__(self, jar, port, extra):
        self.t0 = time.time()
        self.p = subprocess.Popen(["java"] + os.environ.get("JAVA_OPTS", "").split() + ["-jar", jar, "--spec", SPEC, "--base-url", f"http://127.0.0.1:{port}"] + extra,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        self.n = 0
    def rpc(self, method, params=None, notify=False):
        m = {"jsonrpc": "2.0", "method": method}
        if params is not None: m["params"] = params
        if not notify:
            self.n += 1; m["id"] = self.n
        self.p.stdin.write(json.dumps(m) + "\n"); self.p.stdin.flush()
        if notify: return None
        while True:
            line = self.p.stdout.readline()
            if not line: raise RuntimeError("server closed")
            r = json.loads(line)
            if r.get("id") == self.n: return r
    def tool(self, name, args):
        r = self.rpc("tools/call", {"name": name, "arguments": args})
        res = r.get("result", {})
        if res.get("isError"): raise RuntimeError(json.dumps(res)[:400])
        return res
    def close(self):
        self.p.stdin.close(); self.p.wait(20)

def cpu_ms(pids):
    t = 0
    for p in pids:
        try:
            f = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            t += int(f[11]) + int(f[12])
        except OSError:
            pass
    return t * 1000 / os.sysconf("SC_CLK_TCK")

def threads(pids):
    out = {}
    for p in pids:
        try:
            for t in os.listdir(f"/proc/{p}/task"):
                try:
                    raw = open(f"/proc/{p}/task/{t}/stat").read()
                    name = raw[raw.index("(") + 1:raw.rindex(")")]
                    f = raw.rsplit(")", 1)[1].split()
                    key = ("server " if p == pids[0] else "worker ") + "".join(c if not c.isdigit() else "N" for c in name)
                    out[key] = out.get(key, 0) + (int(f[11]) + int(f[12])) * 1000 / os.sysconf("SC_CLK_TCK")
                except (OSError, ValueError):
                    pass
        except OSError:
            pass
    return out

def loop(jar, port, extra, n):
    """Only executes with 10 upstream calls each, n times (for profiling)."""
    s = Session(jar, port, extra)
    s.rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "b", "version": "1"}})
    s.rpc("notifications/initialized", notify=True)
    code = "let r; for (let i = 0; i < " + os.environ.get("LOOP_CALLS", "10") + "; i++) r = await api.request({method: 'GET', path: '/repos/o/r'}); return r && r.status"
    for i in range(20): s.tool("execute", {"code": code})
    pids = [s.p.pid] + children(s.p.pid)
    th0 = threads(pids); c = cpu_ms(pids); cs = cpu_ms(pids[:1]); t = time.perf_counter()
    for i in range(n): s.tool("execute", {"code": code})
    print("loop", n, "wall ms/exec", round((time.perf_counter() - t) * 1000 / n, 2), "cpu ms/exec", round((cpu_ms(pids) - c) / n, 2),
          "of which server", round((cpu_ms(pids[:1]) - cs) / n, 2))
    th1 = threads(pids)
    for k, v in sorted(((k, th1.get(k, 0) - th0.get(k, 0)) for k in th1), key=lambda x: -x[1])[:14]:
        print(f"  {v / n:7.2f} ms/exec  {k}")
    s.close()

def run(jar, port, extra):
    s = Session(jar, port, extra)
    s.rpc("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "b", "version": "1"}})
    s.rpc("notifications/initialized", notify=True)
    s.rpc("tools/list")
    t_list = time.time() - s.t0
    t = time.time(); s.tool("execute", {"code": "return 1 + 1"}); first = time.time() - t
    triv = []
    for i in range(50):
        t = time.perf_counter(); s.tool("execute", {"code": "return 1 + 1"}); triv.append((time.perf_counter() - t) * 1000)
    for i in range(40):
        s.tool("search", {"query": ["list issues", "create a gist", "get a repository", "star a repo"][i % 4], "limit": 5})
    def calls(n):
        code = f"let r; for (let i = 0; i < {n}; i++) r = await api.request({{method: 'GET', path: '/repos/o/r'}}); return r && r.status"
        xs = []
        for i in range(15):
            t = time.perf_counter(); s.tool("execute", {"code": code}); xs.append((time.perf_counter() - t) * 1000)
        return statistics.median(xs)
    pids = [s.p.pid] + children(s.p.pid)
    cpu0 = cpu_ms(pids); c0 = calls(0); cpu1 = cpu_ms(pids); c10 = calls(10); cpu2 = cpu_ms(pids)
    import urllib.request
    d = []
    for i in range(50):
        t = time.perf_counter(); urllib.request.urlopen(f"http://127.0.0.1:{port}/repos/o/r").read(); d.append((time.perf_counter() - t) * 1000)
    time.sleep(3)  # an idle worker collects its heap after 2 s
    kids = children(s.p.pid)
    r = {"list_s": t_list, "first_exec_ms": first * 1000, "trivial_p50_ms": statistics.median(triv),
         "per_call_ms": (c10 - c0) / 10, "trivial_cpu_ms": (cpu1 - cpu0) / 25,
         "per_call_cpu_ms": ((cpu2 - cpu1) - (cpu1 - cpu0)) / 250, "direct_ms": statistics.median(d),
         "server_mb": rss_kb(s.p.pid) / 1024, "workers": len(kids), "workers_mb": sum(rss_kb(k) for k in kids) / 1024}
    r["total_mb"] = r["server_mb"] + r["workers_mb"]
    s.close()
    return r

if __name__ == "__main__":
    args = sys.argv[1:]; rounds = 3; extra = []
    if "--rounds" in args:
        i = args.index("--rounds"); rounds = int(args[i + 1]); del args[i:i + 2]
    if "--extra" in args:
        i = args.index("--extra"); extra = args[i + 1].split(); del args[i:i + 2]
    port = upstream()
    if "--loop" in args:
        i = args.index("--loop"); n = int(args[i + 1]); del args[i:i + 2]
        for j in args: loop(j, port, extra, n)
        sys.exit(0)
    res = {j: [] for j in args}
    for k in range(rounds):
        for j in args:
            r = run(j, port, extra); res[j].append(r)
            print(j, {a: round(b, 2) for a, b in r.items()}, flush=True)
    for j in args:
        keys = res[j][0].keys()
        print("MEDIAN", j, {a: round(statistics.median(x[a] for x in res[j]), 2) for a in keys}, flush=True)
