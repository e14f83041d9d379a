/**
 * Parsing the big sample bodies (reference data, drift checks: up to BODY_LIMIT, 64 MB) off the event loop.
 *
 * JSON.parse of a 60 MB body holds the loop for 1–3 s, and what follows (cleaning and sorting millions of values, and
 * for reference data the encoding that stores them) as long again: every other request waits. Here one
 * worker thread does all of that and hands back the light body with each numbers-only `values` array replaced by a
 * PackedNumbers (finite values sorted ascending in a transferred Float64Array, zero-copy), so the main thread only
 * validates the envelope and writes to the database. Bodies under SAMPLE_JSON_INLINE_BYTES are parsed inline by the
 * same function: a worker round trip costs more than they do, and both paths give the same result.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { encodeFloat8ArraySend } from 'src/common/pg-float8-array';
import { compensatedSum, distinctCountSorted, meanAndStd, numericSampleOfSorted } from 'src/drift/sample.stats';

/** A numbers-only `values` array as the parsing worker hands it over: what is left after dropping null, sorted. */
export interface PackedNumbers {
  readonly kind: 'packed-numbers';
  /** The finite values, ascending (Float64Array#sort order: −0 before 0). */
  readonly sorted: Float64Array;
  /** How many values the array held (sorted.length + missingCount). */
  readonly length: number;
  /** Nulls dropped before sorting. */
  readonly missingCount: number;
  /**
   * The sorted values in PostgreSQL's binary float8[] format (src/common/pg-float8-array.ts), when asked for: the
   * parameter that stores them, built off the event loop and transferred without a copy.
   */
  readonly arraySend?: Uint8Array;
  /** The sorted values' mean, population standard deviation and distinct count (numericSampleOfSorted), from the worker. */
  readonly summary: { readonly mean: number; readonly std: number; readonly distinctCount: number };
}

export function isPackedNumbers(value: unknown): value is PackedNumbers {
  return typeof value === 'object' && value !== null && (value as PackedNumbers).kind === 'packed-numbers';
}

export interface SampleJsonOptions {
  /** Arrays holding a number beyond ±maxAbs stay plain arrays, so validation names the exact index. */
  maxAbs: number;
  /** Build PackedNumbers.arraySend (reference uploads store it). */
  arraySend: boolean;
}

export type SampleJsonResult = { ok: true; body: unknown; transfer: ArrayBuffer[] } | { ok: false; message: string };

/**
 * JSON.parse with body-parser's strict rule (the top level is an object or an array), then every `values` array of
 * numbers and nulls inside an object whose `type` is not "categorical" becomes a PackedNumbers.
 *
 * Runs inside the worker from its source text (Function#toString), so it must not refer to anything outside itself:
 * the worker passes helpers it defines from the source of the module functions the main thread uses.
 */
/** What parseSampleJson calls on each packed array: module functions on the main thread, their source in the worker. */
export interface SampleJsonHelpers {
  encodeArraySend(sorted: Float64Array): Uint8Array;
  summarize(sorted: Float64Array): { mean: number; std: number; distinctCount: number };
}

const MAIN_THREAD_HELPERS: SampleJsonHelpers = { encodeArraySend: encodeFloat8ArraySend, summarize: numericSampleOfSorted };

export function parseSampleJson(
  bytes: Uint8Array,
  options: SampleJsonOptions,
  helpers: SampleJsonHelpers = MAIN_THREAD_HELPERS,
): SampleJsonResult {
  const text = new TextDecoder('utf-8').decode(bytes);
  if (text.trim().length === 0) return { ok: true, body: {}, transfer: [] };
  // body-parser's strict mode (JSON's whitespace is a subset of what trimStart drops; JSON.parse refuses the rest)
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[')
    return { ok: false, message: `Unexpected token '${first ?? ''}', top level must be an object or an array` };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const transfer: ArrayBuffer[] = [];
  const pack = (values: unknown[]): unknown => {
    let missing = 0;
    for (let index = 0; index < values.length; index++) {
      const value = values[index];
      if (value === null) missing++;
      else if (typeof value !== 'number' || !(Math.abs(value) <= options.maxAbs)) return values;
    }
    if (values.length === 0 || missing === values.length) return values;
    const sorted = new Float64Array(values.length - missing);
    let next = 0;
    for (let index = 0; index < values.length; index++) if (values[index] !== null) sorted[next++] = values[index] as number;
    sorted.sort();
    const arraySend = options.arraySend ? helpers.encodeArraySend(sorted) : undefined;
    const { mean, std, distinctCount } = helpers.summarize(sorted);
    transfer.push(sorted.buffer);
    if (arraySend) transfer.push(arraySend.buffer as ArrayBuffer);
    return {
      kind: 'packed-numbers',
      sorted,
      length: values.length,
      missingCount: missing,
      arraySend,
      summary: { mean, std, distinctCount },
    };
  };
  const visit = (node: unknown, depth: number): void => {
    if (depth > 8 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) if (typeof item === 'object' && item !== null) visit(item, depth + 1);
      return;
    }
    const object = node as Record<string, unknown>;
    for (const key of Object.keys(object)) {
      const value = object[key];
      if (key === 'values' && Array.isArray(value) && object.type !== 'categorical') object[key] = pack(value);
      else visit(value, depth + 1);
    }
  };
  visit(body, 0);
  return { ok: true, body, transfer };
}

/** Bodies smaller than this are parsed on the main thread (a worker round trip costs more than they do). */
export const SAMPLE_JSON_INLINE_BYTES = 1 << 20;

interface Job {
  bytes: Uint8Array;
  options: SampleJsonOptions;
  resolve: (result: SampleJsonResult) => void;
  reject: (error: Error) => void;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// Linux nice values are per thread: this worker yields the cores to the event loop (and to the database) when they
// are contended, so a big body's parse does not slow every other request's answer.
try { require('node:os').setPriority(19); } catch {}
const encodeFloat8ArraySend = ${encodeFloat8ArraySend.toString()};
const compensatedSum = ${compensatedSum.toString()};
const meanAndStd = ${meanAndStd.toString()};
const distinctCountSorted = ${distinctCountSorted.toString()};
const numericSampleOfSorted = ${numericSampleOfSorted.toString()};
const parseSampleJson = ${parseSampleJson.toString()};
parentPort.on('message', ({ bytes, options }) => {
  let result;
  try {
    result = parseSampleJson(bytes, options, { encodeArraySend: encodeFloat8ArraySend, summarize: numericSampleOfSorted });
  } catch (error) {
    result = { ok: false, message: String(error && error.message) };
  }
  parentPort.postMessage(result, result.ok ? result.transfer : []);
});`;

/**
 * A small pool of parsing workers (one per spare core, at least one), each taking one body at a time in arrival
 * order, so at most `size` big bodies are expanded in memory at once. A worker that dies (out of memory on a hostile
 * body) fails its job and is replaced.
 */
export class SampleJsonPool {
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private workers = 0;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  parse(bytes: Uint8Array, options: SampleJsonOptions): Promise<SampleJsonResult> {
    if (bytes.byteLength < SAMPLE_JSON_INLINE_BYTES) return Promise.resolve(parseSampleJson(bytes, options));
    return new Promise((resolve, reject) => {
      this.queue.push({ bytes, options, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers < this.size ? this.spawn() : undefined);
      if (!worker) return;
      this.run(worker, this.queue.shift()!);
    }
  }

  private spawn(): Worker {
    this.workers++;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.unref();
    return worker;
  }

  private run(worker: Worker, job: Job): void {
    const done = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onFailure);
      worker.off('exit', onExit);
    };
    const onMessage = (result: SampleJsonResult): void => {
      done();
      this.idle.push(worker);
      job.resolve(result);
      this.drain();
    };
    const onFailure = (error: Error): void => {
      done();
      this.workers--;
      void worker.terminate();
      job.reject(error);
      this.drain();
    };
    const onExit = (code: number): void => onFailure(new Error(`the body-parsing worker exited (code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', onFailure);
    worker.on('exit', onExit);
    // the body's bytes move to the worker (no copy): the request no longer needs them
    const owned = job.bytes.byteOffset === 0 && job.bytes.byteLength === job.bytes.buffer.byteLength ? job.bytes : job.bytes.slice();
    worker.postMessage({ bytes: owned, options: job.options }, [owned.buffer as ArrayBuffer]);
  }
}
