#!/usr/bin/env python3
"""LL-HLS clients for Benchmarks/latency.sh, on one asyncio loop over keep-alive HTTP/1.1.

Followers (one per rendition) do what LL-HLS players do: ask for the hinted part with a blocking
playlist reload (_HLS_msn, _HLS_part) and, for each part the answer lists, take its lag: the time
the answer came minus when the part's last frame reached the server, which is the segment's
PROGRAM-DATE-TIME (the arrival time of the publish's first picture plus the media time) plus the
part's end in the segment. Waiters (N of them) hold blocking reloads for the next part of one
rendition over and over, as a crowd of players would. With --segments, followers poll plain
playlists every 50 ms instead and take each new segment's lag the same way (TS, no parts).
Prints one JSON object."""
import argparse, asyncio, datetime, json, re, statistics, time

def parse(text):
    """(parts with their lag reference times, hint, next msn) of an LL playlist."""
    msn, pdt, offset, parts, segments = 0, None, 0.0, [], []
    hint = None
    for line in text.split("\n"):
        if line.startswith("#EXT-X-MEDIA-SEQUENCE:"): msn = int(line[22:])
        elif line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            pdt = datetime.datetime.fromisoformat(line[25:].replace("Z", "+00:00")).timestamp(); offset = 0.0
        elif line.startswith("#EXT-X-PART:"):
            d = float(re.search(r"DURATION=([0-9.]+)", line).group(1)); uri = re.search(r'URI="([^"]+)"', line).group(1)
            offset += d
            if pdt is not None: parts.append((uri, pdt + offset))
        elif line.startswith("#EXTINF:"):
            d = float(line[8:].split(",")[0])
            if pdt is not None: segments.append((msn, pdt + d))
            msn += 1; pdt = None if pdt is None else pdt + d; offset = 0.0
        elif line.startswith("#EXT-X-PRELOAD-HINT:"): hint = re.search(r'URI="([^"]+)"', line).group(1)
    return parts, segments, hint

class Connection:
    def __init__(self, host, port): self.host, self.port, self.reader, self.writer = host, port, None, None
    async def get(self, path):
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode()); await self.writer.drain()
                head = await self.reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1]); length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                return status, (await self.reader.readexactly(length)).decode(errors="replace")
            except (ConnectionError, asyncio.IncompleteReadError, AttributeError):
                self.writer = None
                if attempt: raise
    def close(self):
        if self.writer: self.writer.close()

async def follow(conn, base, seconds, lags, seen):
    status, text = await conn.get(base + "/index.m3u8")
    seen.update(uri for uri, _ in parse(text)[0])  # already there when the player joined
    end = time.time() + seconds
    while time.time() < end:
        _, _, hint = parse(text)
        m = re.match(r"seg_(\d+)\.(\d+)\.", hint or "")
        if not m: await asyncio.sleep(0.1); status, text = await conn.get(base + "/index.m3u8"); continue
        status, text = await conn.get(f"{base}/index.m3u8?_HLS_msn={int(m.group(1))}&_HLS_part={int(m.group(2))}")
        now = time.time()
        if status != 200: await asyncio.sleep(0.1); continue
        for uri, ready in parse(text)[0]:
            if uri not in seen:
                seen.add(uri)
                lags.append(now - ready)

async def poll_segments(conn, base, seconds, lags, seen):
    end = time.time() + seconds
    while time.time() < end:
        status, text = await conn.get(base + "/index.m3u8"); now = time.time()
        for msn, ready in parse(text)[1]:
            if msn not in seen:
                if seen: lags.append(now - ready)
                seen.add(msn)
        await asyncio.sleep(0.05)

async def wait_crowd(conn, base, seconds, counts):
    end = time.time() + seconds
    status, text = await conn.get(base + "/index.m3u8")
    while time.time() < end:
        m = re.match(r"seg_(\d+)\.(\d+)\.", parse(text)[2] or "")
        if not m: await asyncio.sleep(0.2); status, text = await conn.get(base + "/index.m3u8"); continue
        status, text = await conn.get(f"{base}/index.m3u8?_HLS_msn={int(m.group(1))}&_HLS_part={int(m.group(2))}")
        counts[status] = counts.get(status, 0) + 1

def summary(values):
    if not values: return None
    values = sorted(values)
    return {"count": len(values), "median": round(statistics.median(values), 3), "p95": round(values[int(0.95 * (len(values) - 1))], 3)}

async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1"); p.add_argument("--port", type=int, required=True)
    p.add_argument("--playback", required=True); p.add_argument("--renditions", required=True)
    p.add_argument("--seconds", type=float, default=20); p.add_argument("--waiters", type=int, default=0)
    p.add_argument("--segments", action="store_true")
    a = p.parse_args()
    names = a.renditions.split(","); lags = {n: [] for n in names}; counts = {}
    conns = [Connection(a.host, a.port) for _ in names]
    crowd = [Connection(a.host, a.port) for _ in range(a.waiters)]
    tasks = [(poll_segments if a.segments else follow)(c, f"/hls/{a.playback}/{n}", a.seconds, lags[n], set()) for c, n in zip(conns, names)]
    tasks += [wait_crowd(c, f"/hls/{a.playback}/{names[-1]}", a.seconds, counts) for c in crowd]
    await asyncio.gather(*tasks, return_exceptions=False)
    for c in conns + crowd: c.close()
    print(json.dumps({"lag": {n: summary(v) for n, v in lags.items()}, "waiterAnswers": counts}))

asyncio.run(main())
