"""Python side of `npm run bench:drift`: the same drift checks with numpy + scipy (Evidently's formulas).

Usage: python3 bench/drift_reference.py '<json meta>' [--serve]   (spawned by bench/drift.bench.ts)
Reads the Float64 little-endian data file the TypeScript bench wrote. With --serve it prints one JSON line when ready,
then for each check name read on stdin runs that check once and prints one JSON line (time and per-feature scores),
so the bench can alternate Python and TypeScript runs on a shared machine; "quit" prints the peak RSS and exits.
Without --serve it times each check (best of `repeats` runs after a warm-up) and prints one JSON object.
"""
import collections
import json
import resource
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp, wasserstein_distance


def load(meta):
    F, N, M, C = meta["features"], meta["referenceSize"], meta["currentSize"], meta["categoricalFeatures"]
    raw = np.fromfile(meta["path"], dtype="<f8")
    o = 0
    num_ref = raw[o:o + F * N].reshape(F, N); o += F * N
    num_cur = raw[o:o + F * M].reshape(F, M); o += F * M
    cat_ref = raw[o:o + C * N].reshape(C, N).astype(np.int64); o += C * N
    cat_cur = raw[o:o + C * M].reshape(C, M).astype(np.int64); o += C * M
    # Categories as Python lists of strings, the input a service would receive (built outside the timing).
    cat_ref = [[f"c{c}" for c in row.tolist()] for row in cat_ref]
    cat_cur = [[f"c{c}" for c in row.tolist()] for row in cat_cur]
    return num_ref, num_cur, cat_ref, cat_cur


def feel_zeroes(a):
    # evidently utils.get_binned_data(feel_zeroes=True)
    m = min(a[a != 0])
    np.place(a, a == 0, m / 10**6 if m <= 0.0001 else 0.0001)


def ks(ref, cur):
    return ks_2samp(ref, cur).pvalue, 0.05, "le"


def wasserstein(ref, cur):
    return wasserstein_distance(ref, cur) / max(np.std(ref), 0.001), 0.1, "ge"


def psi(ref, cur):
    if len(np.unique(ref)) > 20:
        bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
        r = np.histogram(ref, bins)[0] / len(ref)
        c = np.histogram(cur, bins)[0] / len(cur)
    else:
        keys = np.union1d(ref, cur)
        r = np.array([np.count_nonzero(ref == k) for k in keys]) / len(ref)
        c = np.array([np.count_nonzero(cur == k) for k in keys]) / len(cur)
    feel_zeroes(r)
    feel_zeroes(c)
    return np.sum((r - c) * np.log(r / c)), 0.1, "ge"


def categorical_default(ref, cur):
    # Evidently default test: reference > 1000 values and categorical → jensenshannon (1000 or fewer → chisquare/z,
    # not exercised here).
    rc = collections.Counter(ref)
    cc = collections.Counter(cur)
    keys = list(rc.keys() | cc.keys())
    assert len(ref) > 1000
    r = np.array([rc.get(k, 0) / len(ref) for k in keys])
    c = np.array([cc.get(k, 0) / len(cur) for k in keys])
    return jensenshannon(r, c), 0.1, "ge"


def run_check(fn, refs, curs):
    scores, drifted = [], []
    for ref, cur in zip(refs, curs):
        s, t, rule = fn(ref, cur)
        scores.append(float(s))
        drifted.append(bool(s <= t if rule == "le" else s >= t))
    share = sum(drifted) / len(drifted)
    return scores, drifted, share >= 0.5


def timed(fn, refs, curs, repeats):
    run_check(fn, refs, curs)  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = run_check(fn, refs, curs)
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), out


CHECKS = {
    "ks": ks,
    "wasserstein": wasserstein,
    "psi": psi,
    "categorical": categorical_default,
}


def once(fn, refs, curs):
    t0 = time.perf_counter()
    scores, drifted, dataset = run_check(fn, refs, curs)
    ms = (time.perf_counter() - t0) * 1000
    return {"ms": ms, "scores": scores, "drifted": drifted, "datasetDrift": dataset}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    meta = json.loads(sys.argv[1])
    num_ref, num_cur, cat_ref, cat_cur = load(meta)
    data = {name: ((cat_ref, cat_cur) if name == "categorical" else (num_ref, num_cur)) for name in CHECKS}
    versions = {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": __import__("scipy").__version__}
    if "--serve" in sys.argv:
        print(json.dumps({"ready": True, "versions": versions}), flush=True)
        for line in sys.stdin:
            name = line.strip()
            if name == "quit":
                print(json.dumps({"peakRssMiB": peak_rss_mib()}), flush=True)
                return
            print(json.dumps(once(CHECKS[name], *data[name])), flush=True)
        return
    result = {"checks": {}, "versions": versions}
    for name, fn in CHECKS.items():
        ms, (scores, drifted, dataset) = timed(fn, *data[name], meta["repeats"])
        result["checks"][name] = {"ms": ms, "scores": scores, "drifted": drifted, "datasetDrift": dataset}
    result["peakRssMiB"] = peak_rss_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
