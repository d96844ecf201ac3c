#!/usr/bin/env python3
"""Reference figures for Python's own process pools.

Measures concurrent.futures.ProcessPoolExecutor ("ppe") and multiprocessing.Pool
("mp") with 2 workers on the platform's default start method, and prints ONE JSON
object on stdout (progress goes to stderr). Every figure is the median over
--reps repetitions. Counts are scaled so the default run fits in ~90 s on a
2-core machine; the counts used are reported under "counts" (compare rates).

    python3 bench/python/reference.py [--reps 3] [--quick] [--only latency,cpu]
"""
import argparse
import concurrent.futures as cf
import gc
import hashlib
import json
import math
import multiprocessing as mp
import os
import statistics
import sys
import time

WORKERS = 2
# Run order: startup first, so fork()ed workers copy a lean parent (no leftover
# heap from the other workloads) when startup time and idle RSS are measured.
WORKLOADS = ("startup", "latency", "submit", "map", "payload", "cpu")
MIB = 1 << 20

# Item counts for the default run. The brief's 20,000 PPE submits / maps and
# 100,000 mp submits were scaled down to keep --reps 3 under ~90 s on 2 cores;
# the figures compared are rates. --quick divides these by QUICK_DIVISOR.
COUNTS = {"latency": 3000, "ppe_submit": 10_000, "mp_submit": 50_000,
          "ppe_map": 10_000, "map_big": 1_000_000}
QUICK_DIVISOR = 20

# The PRIMES example from the concurrent.futures documentation.
PRIMES = [112272535095293, 112582705942171, 112272535095293,
          115280095190773, 115797848077099, 1099726899285419]


# --- worker functions (module-level so they pickle) -------------------------

def noop(x):
    return x


def echo(data):
    return data


def is_prime(n):
    """is_prime exactly as in the concurrent.futures docs."""
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    sqrt_n = int(math.floor(math.sqrt(n)))
    for i in range(3, sqrt_n + 1, 2):
        if n % i == 0:
            return False
    return True


def count_primes(start, end):
    """Count primes in [start, end) by trial division with odd divisors."""
    count = 0
    for n in range(max(start, 2), end):
        if n < 4:  # 2 and 3
            count += 1
            continue
        if n % 2 == 0:
            continue
        for d in range(3, math.isqrt(n) + 1, 2):
            if n % d == 0:
                break
        else:
            count += 1
    return count


def count_block(bounds):
    return count_primes(*bounds)


# --- helpers ----------------------------------------------------------------

def now():
    return time.perf_counter_ns()


def ms(ns):
    return ns / 1e6


def _timed(fn):
    """(fn(), elapsed ms)."""
    t0 = now()
    out = fn()
    return out, ms(now() - t0)


def p99(values):
    """Nearest-rank 99th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.99 * len(ordered)) - 1)]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def warm_ppe(n=200):
    """A ProcessPoolExecutor with all workers started and n calls run."""
    pool = cf.ProcessPoolExecutor(max_workers=WORKERS)
    cf.wait([pool.submit(noop, i) for i in range(2 * WORKERS)])
    for i in range(n):
        pool.submit(noop, i).result()
    return pool


def warm_mp(n=200):
    pool = mp.Pool(WORKERS)
    for i in range(n):
        pool.apply_async(noop, (i,)).get()
    return pool


def close_mp(pool):
    pool.close()
    pool.join()


def mp_chunksize(n):
    """The chunk size multiprocessing.Pool.map picks by default for n items."""
    chunksize, extra = divmod(n, WORKERS * 4)
    return chunksize + 1 if extra else chunksize


def _count(name, quick):
    return COUNTS[name] // (QUICK_DIVISOR if quick else 1)


def median_of(reps, fn):
    return float(statistics.median(fn() for _ in range(reps)))


# --- workloads ----------------------------------------------------------------
# Each takes (reps, quick, res, counts) and stores floats in res.

def bench_latency(reps, quick, res, counts):
    n = _count("latency", quick)
    counts["latency"] = n
    for key, make, call, close in (
            ("ppe", warm_ppe, lambda p, i: p.submit(noop, i).result(), lambda p: p.shutdown()),
            ("mp", warm_mp, lambda p, i: p.apply_async(noop, (i,)).get(), close_mp)):
        medians, tails = [], []
        for _ in range(reps):
            pool = make()  # fresh pool, 200 warm-up calls
            samples = []
            for i in range(n):
                t0 = now()
                call(pool, i)
                samples.append((now() - t0) / 1e3)
            close(pool)
            medians.append(statistics.median(samples))
            tails.append(p99(samples))
        res[f"{key}_latency_median_us"] = float(statistics.median(medians))
        res[f"{key}_latency_p99_us"] = float(statistics.median(tails))


def bench_submit(reps, quick, res, counts):
    n_ppe, n_mp = _count("ppe_submit", quick), _count("mp_submit", quick)
    counts["ppe_submit"], counts["mp_submit"] = n_ppe, n_mp

    def ppe():
        with warm_ppe() as pool:
            t0 = now()
            cf.wait([pool.submit(noop, i) for i in range(n_ppe)])
            return n_ppe / ((now() - t0) / 1e9)

    def mpool():
        pool = warm_mp()
        t0 = now()
        for r in [pool.apply_async(noop, (i,)) for i in range(n_mp)]:
            r.get()
        rate = n_mp / ((now() - t0) / 1e9)
        close_mp(pool)
        return rate

    res["ppe_submit_per_s"] = median_of(reps, ppe)
    res["mp_submit_per_s"] = median_of(reps, mpool)


def bench_map(reps, quick, res, counts):
    n_big, n_small = _count("map_big", quick), _count("ppe_map", quick)
    chunk = mp_chunksize(n_big)
    counts.update(mp_map=n_big, ppe_map=n_small, ppe_map_chunked=n_big,
                  ppe_map_chunksize=chunk)

    def rate(pool_map, n):
        t0 = now()
        out = list(pool_map(noop, range(n)))
        elapsed = now() - t0
        assert len(out) == n
        return n / (elapsed / 1e9)

    def mpool():
        pool = warm_mp()
        r = rate(pool.map, n_big)  # default chunking
        close_mp(pool)
        return r

    def ppe(n, chunksize):
        with warm_ppe() as pool:
            return rate(lambda f, it: pool.map(f, it, chunksize=chunksize), n)

    res["mp_map_per_s"] = median_of(reps, mpool)
    res["ppe_map_per_s"] = median_of(reps, lambda: ppe(n_small, 1))
    res["ppe_map_chunked_per_s"] = median_of(reps, lambda: ppe(n_big, chunk))


def bench_payload(reps, quick, res, counts):
    # (figure label, bytes, trips/rep)
    sizes = ([("1mib", MIB, 5), ("16mib", 16 * MIB, 2)] if quick else
             [("64kib", 64 * 1024, 200), ("256kib", 256 * 1024, 50), ("1mib", MIB, 20),
              ("4mib", 4 * MIB, 10), ("16mib", 16 * MIB, 5), ("256mib", 256 * MIB, 1)])
    with warm_ppe() as pool:
        for label, size, trips in sizes:
            data = b"\xab" * size  # touch every page up front
            out = pool.submit(echo, data).result()  # warm-up echo of this size
            if out != data:
                sys.exit(f"payload: echo of {label} came back different")
            del out
            per_rep = []
            for _ in range(reps):
                trip_rates = []
                for _ in range(trips):
                    t0 = now()
                    out = pool.submit(echo, data).result()
                    elapsed = now() - t0
                    assert len(out) == len(data)
                    del out
                    trip_rates.append(size / MIB / (elapsed / 1e9))
                per_rep.append(statistics.median(trip_rates))
            res[f"ppe_payload_{label}_mb_s"] = float(statistics.median(per_rep))
            counts[f"payload_{label}_round_trips"] = trips
            del data
            gc.collect()  # free memory before the next size


def alloc_and_hash(seed):
    """Issue 11's allocating item: a fresh 1 MiB object, filled, then hashed (~1.2-1.7 ms here)."""
    data = seed.to_bytes(8, "little") * (MIB // 8)
    return hashlib.sha256(data).digest()[0]


def bench_cpu(reps, quick, res, counts):
    # (a) the docs' PRIMES example; quick mode keeps only the last three numbers.
    primes = PRIMES[3:] if quick else PRIMES
    counts["cpu_primes"] = len(primes)
    seq_runs = [_timed(lambda: [is_prime(n) for n in primes]) for _ in range(reps)]
    expected = seq_runs[0][0]
    seq = float(statistics.median(t for _, t in seq_runs))

    def ppe_primes():
        with warm_ppe() as pool:
            out, t = _timed(lambda: list(pool.map(is_prime, primes)))
            if out != expected:
                sys.exit("cpu: PPE is_prime results differ from sequential")
            return t

    pool_ms = median_of(reps, ppe_primes)
    res.update(cpu_primes_sequential_ms=seq, cpu_primes_ppe_ms=pool_ms,
               cpu_primes_speedup=seq / pool_ms)

    # (b) count primes below LIMIT in 60 equal blocks.
    limit, nblocks = (100_000 if quick else 1_000_000), 60
    step = limit // nblocks
    blocks = [(i * step, limit if i == nblocks - 1 else (i + 1) * step)
              for i in range(nblocks)]
    counts.update(cpu_map_blocks=nblocks, cpu_map_limit=limit)

    def sequential():
        return _timed(lambda: sum(map(count_block, blocks)))

    def ppe_map():
        with warm_ppe() as pool:
            return _timed(lambda: sum(pool.map(count_block, blocks, chunksize=1)))

    def mp_map():
        pool = warm_mp()
        out = _timed(lambda: sum(pool.map(count_block, blocks)))  # default chunking
        close_mp(pool)
        return out

    totals, times = {}, {}
    for key, fn in (("sequential", sequential), ("ppe", ppe_map), ("mp", mp_map)):
        runs = [fn() for _ in range(reps)]
        totals[key] = {got for got, _ in runs}
        times[key] = float(statistics.median(t for _, t in runs))
    if len(totals["sequential"] | totals["ppe"] | totals["mp"]) != 1:
        sys.exit(f"cpu: prime counts below {limit} disagree: {totals}")
    seq_ms = times["sequential"]
    res.update(cpu_map_sequential_ms=seq_ms, cpu_map_ppe_ms=times["ppe"],
               cpu_map_mp_ms=times["mp"], cpu_map_ppe_speedup=seq_ms / times["ppe"],
               cpu_map_mp_speedup=seq_ms / times["mp"], cpu_map_limit=float(limit))

    # (c) 256 items that each allocate a fresh 1 MiB and hash it, multiprocessing.Pool.map.
    items = list(range(64 if quick else 256))
    counts["cpu_alloc_items"] = len(items)
    seq_runs = [_timed(lambda: [alloc_and_hash(i) for i in items]) for _ in range(reps)]

    def mp_alloc():
        pool = warm_mp()
        out = _timed(lambda: pool.map(alloc_and_hash, items))  # default chunking
        close_mp(pool)
        return out

    mp_runs = [mp_alloc() for _ in range(reps)]
    if any(out != seq_runs[0][0] for out, _ in seq_runs + mp_runs):
        sys.exit("cpu: the allocating items' hashes disagree")
    seq_ms = float(statistics.median(t for _, t in seq_runs))
    mp_ms = float(statistics.median(t for _, t in mp_runs))
    res.update(cpu_alloc_py_sequential_ms=seq_ms, cpu_alloc_mp_ms=mp_ms,
               cpu_alloc_mp_speedup=seq_ms / mp_ms)


def bench_startup(reps, quick, res, counts):
    pools = 3 if quick else 10
    counts["startup_pools"] = pools

    def ppe():
        t0 = now()
        pool = cf.ProcessPoolExecutor(max_workers=WORKERS)
        pool.submit(noop, 1).result()
        t = now() - t0
        pool.shutdown()
        return ms(t)

    def mpool():
        t0 = now()
        pool = mp.Pool(WORKERS)
        pool.apply(noop, (1,))
        t = now() - t0
        close_mp(pool)
        return ms(t)

    res["ppe_startup_ms"] = float(statistics.median(ppe() for _ in range(pools)))
    res["mp_startup_ms"] = float(statistics.median(mpool() for _ in range(pools)))

    # Resident memory of idle PPE workers (Linux only: needs /proc).
    if os.path.exists("/proc/self/status"):
        with warm_ppe() as pool:
            time.sleep(0.5)
            rss = [_vmrss_kb(pid) / 1024 for pid in pool._processes]
        res["ppe_idle_worker_rss_mb"] = float(statistics.median(rss))


def _vmrss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


BENCHES = {"latency": bench_latency, "submit": bench_submit, "map": bench_map,
           "payload": bench_payload, "cpu": bench_cpu, "startup": bench_startup}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3, help="repetitions per figure (median)")
    ap.add_argument("--quick", action="store_true", help="tiny sizes, smoke run")
    ap.add_argument("--only", default="", help="comma-separated subset of: " + ",".join(WORKLOADS))
    args = ap.parse_args()
    if args.reps < 1:
        ap.error("--reps must be >= 1")
    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(WORKLOADS)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        ap.error(f"unknown workload(s): {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")

    res = {"python": sys.version.split()[0], "cpu_count": os.cpu_count(),
           "start_method": mp.get_start_method(), "quick": args.quick}
    counts = {"workers": WORKERS, "reps": args.reps}
    total = now()
    for name in sorted(names, key=WORKLOADS.index):
        log(f"[reference.py] {name} ...")
        t0 = now()
        BENCHES[name](args.reps, args.quick, res, counts)
        log(f"[reference.py] {name} done in {ms(now() - t0) / 1e3:.1f} s")
    log(f"[reference.py] total {ms(now() - total) / 1e3:.1f} s")
    res["counts"] = counts
    json.dump(res, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
