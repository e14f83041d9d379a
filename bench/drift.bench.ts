/**
 * `npm run bench:drift` — drift-check throughput of ModelWatch's pure statistics against numpy + scipy.
 *
 * Generates deterministic data (seeded xoshiro128**): 50 numerical features × 100,000 reference and 100,000 current
 * values, and 20 categorical features (10–50 categories, 100,000 values each side). Writes it once as Float64
 * little-endian to a temp file, spawns `python3 bench/drift_reference.py --serve` on the same file, and times per
 * check (all features + dataset drift; after a warm-up, REPEATS Python and TypeScript runs alternate, best of each):
 *   ks, wasserstein, psi on the numerical features, the default test on the categorical ones.
 * Asserts both sides agree on every score (max relative difference ≤ 1e-6) and on every drift decision.
 * `npm run bench:drift -- --write-docs` also rewrites the "Drift check" section of docs/benchmarks.md.
 */
import { ChildProcessWithoutNullStreams, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import {
  datasetDrift,
  FeatureDriftResult,
  FeatureSample,
  prepareNumericSample,
  StatTest,
  testFeatureDrift,
} from 'src/drift/drift-check.stats';

const FEATURES = 50;
const CATEGORICAL_FEATURES = 20;
const REFERENCE_SIZE = 100_000;
const CURRENT_SIZE = 100_000;
const REPEATS = 5;
const MAX_REL_DIFF = 1e-6;

/** xoshiro128** (Blackman & Vigna), seeded through splitmix32. */
function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const st = Uint32Array.of(splitmix(), splitmix(), splitmix(), splitmix());
  const next = (): number => {
    const r = Math.imul(rotl(Math.imul(st[1], 5), 7), 9) >>> 0;
    const t = st[1] << 9;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 11);
    return r;
  };
  // uniform double in [0, 1) from 53 random bits
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}
function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function normals(rng: () => number, n: number, mean: number, sd: number, decimals?: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u1 = 1 - rng();
    const u2 = rng();
    // Box–Muller
    let x = mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    if (decimals !== undefined) x = Math.round(x * 10 ** decimals) / 10 ** decimals;
    out[i] = x;
  }
  return out;
}

function categoricalCodes(rng: () => number, n: number, weights: Float64Array): Float64Array {
  const cdf = new Float64Array(weights.length);
  let acc = 0;
  const total = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) cdf[i] = acc += weights[i] / total;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng();
    let k = 0;
    while (k < cdf.length - 1 && u >= cdf[k]) k++;
    out[i] = k;
  }
  return out;
}

interface Data {
  numRef: Float64Array[];
  numCur: Float64Array[];
  catRefCodes: Float64Array[];
  catCurCodes: Float64Array[];
}

function generate(): Data {
  const rng = makeRng(20240611);
  const shifts = [0, 0, 0.005, 0.01, 0.02, 0.05, 0.1];
  const numRef: Float64Array[] = [];
  const numCur: Float64Array[] = [];
  for (let f = 0; f < FEATURES; f++) {
    const mean = f * 0.1 - 2.5;
    const sd = 0.5 + (f % 5) * 0.3;
    const decimals = f % 10 === 9 ? 2 : undefined; // some features with heavy ties
    numRef.push(normals(rng, REFERENCE_SIZE, mean, sd, decimals));
    const curSd = sd * (f % 11 === 0 ? 1.05 : 1);
    numCur.push(normals(rng, CURRENT_SIZE, mean + shifts[f % shifts.length] * sd, curSd, decimals));
  }
  const catRefCodes: Float64Array[] = [];
  const catCurCodes: Float64Array[] = [];
  for (let c = 0; c < CATEGORICAL_FEATURES; c++) {
    const k = 10 + ((c * 37) % 41); // 10..50 categories
    const w = Float64Array.from({ length: k }, () => -Math.log(1 - rng()));
    const drift = c % 3 === 0 ? 0.3 : c % 3 === 1 ? 0.02 : 0;
    const w2 = Float64Array.from(w, (x) => (1 - drift) * x + drift * -Math.log(1 - rng()));
    catRefCodes.push(categoricalCodes(rng, REFERENCE_SIZE, w));
    catCurCodes.push(categoricalCodes(rng, CURRENT_SIZE, w2));
  }
  return { numRef, numCur, catRefCodes, catCurCodes };
}

function writeData(file: string, d: Data): void {
  const fd = fs.openSync(file, 'w');
  for (const group of [d.numRef, d.numCur, d.catRefCodes, d.catCurCodes]) {
    for (const a of group) fs.writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  fs.closeSync(fd);
}

/** Category strings as a service receives them: parsed from JSON, one string object per value. */
function categoryStrings(codes: Float64Array): unknown[] {
  return JSON.parse(JSON.stringify(Array.from(codes, (c) => `c${c}`))) as unknown[];
}

interface CheckOutput {
  scores: number[];
  drifted: boolean[];
  datasetDrift: boolean;
}

function runCheck(refs: FeatureSample[], curs: FeatureSample[], stattest: StatTest | 'auto'): CheckOutput {
  const results: FeatureDriftResult[] = [];
  for (let f = 0; f < refs.length; f++) results.push(testFeatureDrift({ reference: refs[f], current: curs[f], stattest }));
  return {
    scores: results.map((r) => r.score),
    drifted: results.map((r) => r.drifted),
    datasetDrift: datasetDrift(results).datasetDrift,
  };
}

function timeJs(fn: () => CheckOutput): { ms: number; out: CheckOutput } {
  const t0 = process.hrtime.bigint();
  const out = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out };
}

function maxRelDiff(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i])));
  }
  return worst;
}

interface PyCheck extends CheckOutput {
  ms: number;
}

/** The Python process in --serve mode: one JSON line per request. */
class PythonWorker {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiter: ((line: string) => void) | null = null;
  private stderr = '';

  constructor(meta: object) {
    this.proc = spawn('python3', [path.join(__dirname, 'drift_reference.py'), JSON.stringify(meta), '--serve']);
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    readline.createInterface({ input: this.proc.stdout }).on('line', (line) => {
      if (this.waiter) {
        const w = this.waiter;
        this.waiter = null;
        w(line);
      } else this.lines.push(line);
    });
    this.proc.on('exit', (code) => {
      if (code !== 0 && this.waiter) this.waiter(JSON.stringify({ error: `python3 exited ${code}: ${this.stderr}` }));
    });
  }

  async next<T>(): Promise<T> {
    const line = this.lines.shift() ?? (await new Promise<string>((resolve) => (this.waiter = resolve)));
    const parsed = JSON.parse(line) as T & { error?: string };
    if (parsed.error) throw new Error(parsed.error);
    return parsed;
  }

  async run(check: string): Promise<PyCheck> {
    this.proc.stdin.write(`${check}\n`);
    return this.next<PyCheck>();
  }

  async quit(): Promise<number> {
    this.proc.stdin.write('quit\n');
    return (await this.next<{ peakRssMiB: number }>()).peakRssMiB;
  }
}

interface Row {
  check: string;
  ms: number;
  pyMs?: number;
  diff: number;
  out: CheckOutput;
}

async function main(): Promise<void> {
  const writeDocs = process.argv.includes('--write-docs');
  const t0 = Date.now();
  const data = generate();
  const file = path.join(os.tmpdir(), `modelwatch-drift-bench-${process.pid}.f64`);
  writeData(file, data);
  console.log(
    `data: ${FEATURES} numerical × ${REFERENCE_SIZE}/${CURRENT_SIZE}, ${CATEGORICAL_FEATURES} categorical; ${Date.now() - t0} ms`,
  );
  const meta = {
    path: file,
    features: FEATURES,
    referenceSize: REFERENCE_SIZE,
    currentSize: CURRENT_SIZE,
    categoricalFeatures: CATEGORICAL_FEATURES,
    repeats: REPEATS,
  };
  const py = new PythonWorker(meta);
  let versions: Record<string, string>;
  try {
    versions = (await py.next<{ versions: Record<string, string> }>()).versions;
  } finally {
    fs.rmSync(file, { force: true });
  }

  const preparedRefs = data.numRef.map((r) => prepareNumericSample(r));
  const rows: Row[] = [];
  let failed = false;
  const sameDecisions = (a: CheckOutput, b: CheckOutput): boolean =>
    a.datasetDrift === b.datasetDrift && a.drifted.every((d, i) => d === b.drifted[i]);

  /** Warm-up of both sides, then REPEATS alternating Python / TypeScript runs; best time of each. */
  async function compare(label: string, pyCheck: string, js: () => CheckOutput, jsPrepared?: () => CheckOutput): Promise<void> {
    let pyBest = await py.run(pyCheck);
    let jsBest = timeJs(js);
    let prepBest = jsPrepared ? timeJs(jsPrepared) : undefined;
    for (let r = 0; r < REPEATS; r++) {
      const p = await py.run(pyCheck);
      if (p.ms < pyBest.ms) pyBest = p;
      const j = timeJs(js);
      if (j.ms < jsBest.ms) jsBest = j;
      if (jsPrepared && prepBest) {
        const q = timeJs(jsPrepared);
        if (q.ms < prepBest.ms) prepBest = q;
      }
    }
    rows.push({
      check: label,
      ms: jsBest.ms,
      pyMs: pyBest.ms,
      diff: maxRelDiff(jsBest.out.scores, pyBest.scores),
      out: jsBest.out,
    });
    if (prepBest) {
      rows.push({
        check: `${pyCheck}, reference prepared once`,
        ms: prepBest.ms,
        diff: maxRelDiff(prepBest.out.scores, pyBest.scores),
        out: prepBest.out,
      });
    }
    for (const o of [jsBest.out, prepBest?.out]) {
      if (o && !sameDecisions(o, pyBest)) {
        console.error(`drift decisions differ from Python for ${label}`);
        failed = true;
      }
    }
  }

  for (const stattest of ['ks', 'wasserstein', 'psi'] as const) {
    await compare(
      `${stattest} (${FEATURES} numerical)`,
      stattest,
      () => runCheck(data.numRef, data.numCur, stattest),
      () => runCheck(preparedRefs, data.numCur, stattest),
    );
  }
  // Built after the numerical runs so their millions of strings do not slow the numerical runs' garbage collections.
  const catRef = data.catRefCodes.map(categoryStrings);
  const catCur = data.catCurCodes.map(categoryStrings);
  await compare(`default test (${CATEGORICAL_FEATURES} categorical)`, 'categorical', () => runCheck(catRef, catCur, 'auto'));
  const pyRssMiB = await py.quit();
  const rssMiB = process.resourceUsage().maxRSS / 1024;

  const fmt = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = [
    '| check (per run: all features + dataset drift) | ModelWatch ms | numpy+scipy ms | ratio | drifted / features | max rel. score diff |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const drifted = `${r.out.drifted.filter(Boolean).length} / ${r.out.drifted.length}`;
      const ratio = r.pyMs === undefined ? '' : `${(r.ms / r.pyMs).toFixed(3)}×`;
      const pyMs = r.pyMs === undefined ? '' : fmt(r.pyMs);
      return `| ${r.check} | ${fmt(r.ms)} | ${pyMs} | ${ratio} | ${drifted} | ${r.diff.toExponential(1)} |`;
    }),
  ];
  console.log(lines.join('\n'));
  console.log(`peak RSS node: ${rssMiB.toFixed(0)} MiB (python: ${pyRssMiB.toFixed(0)} MiB)`);
  const worst = Math.max(...rows.map((r) => r.diff));
  console.log(`max relative score difference vs Python: ${worst.toExponential(2)}`);
  if (worst > MAX_REL_DIFF) {
    console.error(`scores differ from Python by more than ${MAX_REL_DIFF}`);
    failed = true;
  }

  if (writeDocs && !failed) {
    const section = [
      '## Drift check (`npm run bench:drift`)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on the machine above (${os.cpus().length} cores, ` +
        `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}); Python ${versions.python}, ` +
        `numpy ${versions.numpy}, scipy ${versions.scipy}. Data: ${FEATURES} numerical features × ` +
        `${REFERENCE_SIZE.toLocaleString('en')} reference × ${CURRENT_SIZE.toLocaleString('en')} current values ` +
        '(normal, mixed shifts, some rounded to 2 decimals), ' +
        `${CATEGORICAL_FEATURES} categorical features with 10–50 categories (strings, 100,000 values each side); ` +
        'seeded, written once as Float64 LE and read by both sides. Each run checks every feature from raw arrays ' +
        '(both sides cleaned and sorted inside the timing) and computes dataset drift; Python and TypeScript runs ' +
        `alternate (warm-up, then ${REPEATS} runs each) and the best run of each side is reported, because the machine ` +
        'is shared with other jobs (absolute times varied by up to ~2× between runs, mostly on the Python side). ' +
        '"reference prepared once" reuses references sorted beforehand with ' +
        '`prepareNumericSample` (the service path). Python computes the same Evidently formulas with `ks_2samp`, ' +
        '`wasserstein_distance`/`np.std`, `histogram_bin_edges`/`histogram` (psi) and `collections.Counter` + ' +
        '`jensenshannon` (categorical, default test = jensenshannon for references > 1000 values).',
      '',
      ...lines,
      '',
      `Peak RSS of the node process: ${rssMiB.toFixed(0)} MiB (Python process: ${pyRssMiB.toFixed(0)} MiB). ` +
        `All drift decisions agree; max relative score difference ${worst.toExponential(1)}.`,
      '',
    ].join('\n');
    writeSection(path.join(__dirname, '..', 'docs', 'benchmarks.md'), section);
    console.log('docs/benchmarks.md updated');
  }
  if (failed) process.exitCode = 1;
}

/** Replaces (or appends) only the "## Drift check" section of docs/benchmarks.md. */
function writeSection(file: string, section: string): void {
  const heading = '## Drift check (`npm run bench:drift`)';
  let doc = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\nMachine: 2 cores, 24 GiB RAM, Node 20.\n\n';
  const start = doc.indexOf(heading);
  if (start < 0) {
    doc = doc.replace(/\n*$/, '\n\n') + section;
  } else {
    const next = doc.indexOf('\n## ', start + heading.length);
    doc = doc.slice(0, start) + section + (next < 0 ? '' : doc.slice(next + 1));
  }
  fs.writeFileSync(file, doc);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
