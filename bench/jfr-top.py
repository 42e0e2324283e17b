#!/usr/bin/env python3
"""Benchmark helper, not a test: where a wal-j daemon's CPU went, from a flight recording (bench/archive-load.sh
BENCH_JFR=FILE walj-default). Prints the share of execution samples (jdk.ExecutionSample: Java code on a CPU) by
top frame and by what the stack was doing (codec, checksums, copies, store and fsync, watcher scans, ...), and the
garbage collector's pauses. Usage: bench/jfr-top.py FILE.jfr [TOP]"""
import collections, json, subprocess, sys

path = sys.argv[1]
top_n = int(sys.argv[2]) if len(sys.argv) > 2 else 15


def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--events", kind, path], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(e):
    st = e["values"].get("stackTrace") or {}
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".")
            for f in st.get("frames", [])]


# first match wins, checked against the whole stack from the top frame down
CATEGORIES = [
    ("Adler-32 (lzop block checksums)", ("java.util.zip.Adler32",)),
    ("CRC-32", ("java.util.zip.CRC32",)),
    ("LZO compression (aircompressor)", ("io.airlift.compress.lzo.",)),
    ("LZ4 compression", ("io.airlift.compress.lz4.", "net.jpountz")),
    ("fsync / force", ("FileChannelImpl.force", "FileDispatcherImpl.force", ".fsync")),
    ("file reads (the segment)", ("FileChannelImpl.read", "FileInputStream.read", "FileDispatcherImpl.read")),
    ("file writes (the object)", ("FileChannelImpl.write", "FileOutputStream.write", "FileDispatcherImpl.write")),
    ("buffer copies", ("System.arraycopy", "Arrays.copyOf", "ByteBuffer.put", "ByteBuffer.get",
                       "ByteArrayOutputStream")),
    ("directory scans (watcher, push-ahead)", ("Files.list", "DirectoryStream", "UnixDirectoryStream",
                                               "Files.newDirectoryStream", "WatchService")),
    ("socket / protocol", ("org.walj.daemon.Protocol", "SocketChannel", "UnixDomainSocket")),
    ("logging", ("ch.qos.logback", "org.slf4j", "org.walj.log")),
]


def category(stack):
    for name, needles in CATEGORIES:
        if any(any(n in f for n in needles) for f in stack):
            return name
    return "other: " + (stack[0] if stack else "?")


samples = events("jdk.ExecutionSample")
n = len(samples)
by_top = collections.Counter()
by_cat = collections.Counter()
for e in samples:
    st = frames(e)
    by_top[st[0] if st else "?"] += 1
    by_cat[category(st)] += 1
print("%d execution samples (Java code on a CPU)" % n)
print("\nby what the stack was doing:")
for k, v in by_cat.most_common(top_n):
    print("  %5.1f %%  %s" % (100.0 * v / n, k))
print("\nby top frame:")
for k, v in by_top.most_common(top_n):
    print("  %5.1f %%  %s" % (100.0 * v / n, k))

# Native code (JNI: zlib's Adler-32 and CRC-32, read/write/fsync system calls) is not in those samples: threads in
# native code are sampled apart, waiting ones (accept, poll, inotify) included, which are not CPU and are left out.
WAITING = ("accept", "poll", "epollWait", "Poll", "park", "sleep", "wait", "take", "read0", "receive", "await")
native = collections.Counter()
for e in events("jdk.NativeMethodSample"):
    st = frames(e)
    if st and not any(w in st[0] for w in WAITING):
        native[category(st)] += 1
print("\nnative samples that are work, not waiting (same sampling period as the Java ones: comparable counts):")
for k, v in native.most_common(top_n):
    print("  %5d  %s" % (v, k))

gcs = events("jdk.GarbageCollection")


def seconds(d):
    # JFR durations print as e.g. "PT0.001234S"
    return float(d.strip("PTS")) if isinstance(d, str) and d.startswith("PT") and d.endswith("S") else 0.0


total = sum(seconds(g["values"].get("sumOfPauses", "PT0S")) for g in gcs)
print("\ngarbage collections: %d, pauses %.3f s in all" % (len(gcs), total))
