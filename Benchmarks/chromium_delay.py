#!/usr/bin/env python3
"""How far behind the presenter Chromium's native HLS player sits, for Benchmarks/chromium-delay.sh.

A small logging proxy serves a page with a <video> of the stream and forwards /hls/ to the origin,
noting every media request with its time. Headless Chromium (through chromedriver) joins the
running show; twice a second the script reads the video's currentTime. Chromium gives no seekable
range for live, so the delay counts from the first media file it fetched: that segment's (or
part's) PROGRAM-DATE-TIME, the arrival time of its first frame, plus currentTime is the arrival
time of the frame on screen; now minus that is the delay. Also says whether Chromium asked for
LL-HLS parts or blocking reloads. Prints one JSON object.

With --hlsjs FILE the page plays the stream with hls.js (an ES module exporting the attach
function as `t`, as gradio's bundle does; Benchmarks/chromium-delay.sh fetches it) instead of the
native player. hls.js maps currentTime to PROGRAM-DATE-TIME itself (hls.playingDate), so there
the delay is now minus playingDate."""
import argparse, datetime, http.server, json, re, socketserver, statistics, subprocess, threading, time, urllib.error, urllib.request

def pdt_of(playlist, uri):
    """Wall-clock time of the first frame of segment or part `uri` in a media playlist."""
    pdt, offset = None, 0.0
    for line in playlist.split("\n"):
        if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            pdt = datetime.datetime.fromisoformat(line[25:].replace("Z", "+00:00")).timestamp(); offset = 0.0
        elif line.startswith("#EXT-X-PART:"):
            if re.search(r'URI="([^"]+)"', line).group(1) == uri and pdt is not None: return pdt + offset
            offset += float(re.search(r"DURATION=([0-9.]+)", line).group(1))
        elif line.startswith("#EXTINF:"):
            duration = float(line[8:].split(",")[0])
        elif line and not line.startswith("#"):
            if line == uri and pdt is not None: return pdt
            if pdt is not None: pdt += duration
            offset = 0.0
    return None

def main():
    p = argparse.ArgumentParser()
    p.add_argument("--origin", required=True); p.add_argument("--playback", required=True)
    p.add_argument("--seconds", type=float, default=30); p.add_argument("--hlsjs")
    a = p.parse_args()
    log, playlists = [], {}
    master = f"/hls/{a.playback}/master.m3u8"
    if a.hlsjs:
        hlsjs = open(a.hlsjs, "rb").read()
        page = ('<html><body><video id="v" muted autoplay playsinline></video><script type="module">'
                f'import {{t as attach}} from "/hls.js"; window.hls = attach(document.getElementById("v"), "{master}", () => {{}});'
                '</script></body></html>').encode()
    else:
        page = f'<html><body><video id="v" muted autoplay playsinline src="{master}"></video></body></html>'.encode()

    class Proxy(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args): pass
        def do_GET(self):
            local = {"/page.html": (page, "text/html"), "/hls.js": (hlsjs if a.hlsjs else b"", "text/javascript")}
            if self.path in local:
                body, kind = local[self.path]
                self.send_response(200); self.send_header("Content-Type", kind); self.send_header("Content-Length", str(len(body)))
                self.end_headers(); self.wfile.write(body); return
            try:
                with urllib.request.urlopen(a.origin + self.path) as r:
                    body, status, kind = r.read(), r.status, r.headers.get("Content-Type", "")
            except urllib.error.HTTPError as e:
                body, status, kind = e.read(), e.code, e.headers.get("Content-Type", "")
            name = self.path.split("?")[0].rsplit("/", 1)[-1]
            if name.endswith((".ts", ".m4s")): log.append((time.time(), self.path))
            if name == "index.m3u8" and status == 200: playlists[self.path.split("?")[0]] = body.decode(); log.append((time.time(), self.path))
            self.send_response(status); self.send_header("Content-Type", kind); self.send_header("Content-Length", str(len(body)))
            self.end_headers(); self.wfile.write(body)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Proxy); server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page_url = f"http://127.0.0.1:{server.server_address[1]}/page.html"

    driver = subprocess.Popen(["/usr/bin/chromedriver", "--port=9517"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def call(method, path, body=None):
        req = urllib.request.Request("http://127.0.0.1:9517" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Content-Type": "application/json"})
        return json.load(urllib.request.urlopen(req, timeout=60))["value"]
    for _ in range(50):
        try: call("GET", "/status"); break
        except Exception: time.sleep(0.2)
    session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
        "binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"]}}}})["sessionId"]
    samples = []
    try:
        call("POST", f"/session/{session}/url", {"url": page_url})
        end = time.time() + a.seconds
        while time.time() < end:
            v = call("POST", f"/session/{session}/execute/sync", {"script":
                "const v=document.getElementById('v'),h=window.hls,d=h&&h.playingDate;"
                "return [v.currentTime,v.readyState,v.paused,v.error&&v.error.message,Date.now()/1000,d?d.getTime()/1000:null]", "args": []})
            samples.append(v); time.sleep(0.5)
    finally:
        try: call("DELETE", f"/session/{session}")
        except Exception: pass
        driver.terminate()
    media = [path for _, path in log if path.split("?")[0].endswith((".ts", ".m4s"))]
    first = media[0] if media else None
    result = {"mediaRequests": len(media), "firstMedia": first,
              "partsRequested": sum(1 for m in media if re.search(r"seg_\d+\.\d+\.m4s", m)),
              "blockingReloads": sum(1 for _, path in log if "_HLS_msn" in path),
              "lastSample": samples[-1] if samples else None}
    if a.hlsjs:
        delays = [now - date for t, ready, paused, error, now, date in samples if date and ready >= 3 and not paused]
        if delays:
            result.update({"player": "hls.js", "delayMedian": round(statistics.median(delays), 2), "delayLast": round(delays[-1], 2), "delaySamples": len(delays)})
    elif first:
        rendition_playlist = first.split("?")[0].rsplit("/", 1)[0] + "/index.m3u8"
        start = pdt_of(playlists.get(rendition_playlist, ""), first.rsplit("/", 1)[-1])
        delays = [now - (start + t) for t, ready, paused, error, now, _ in samples if start and ready >= 3 and t > 0 and not paused]
        if delays:
            result.update({"delayMedian": round(statistics.median(delays), 2), "delayLast": round(delays[-1], 2), "delaySamples": len(delays)})
    print(json.dumps(result))

main()
