/**
 * Measuring helpers shared by the benchmark suites.
 *
 * A comparison runs a baseline ("raw") and our code ("ours") in interleaved rounds: after a warm-up
 * of both, every round measures each side for the same time budget (or op count), alternating which
 * side goes first. The machine's speed drifts (fsync rates here swing by 3x within a minute), so
 * the ratio is the median of the per-round ratios, each taken from two measurements made back to
 * back, and each side's rate is the median of its rounds.
 */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** One operation: may answer synchronously, or with a promise, which the harness awaits. */
export type Op = () => unknown;

export interface MeasureSettings {
  /** Time each side runs before the first round, unmeasured. */
  readonly warmupMs: number;
  /** Time budget of one measurement (ignored when `count` is set). */
  readonly budgetMs: number;
  /** When set, a measurement runs exactly this many operations instead of a time budget. */
  readonly count: number | undefined;
  /** Interleaved rounds per comparison; the reported figures are medians over rounds. */
  readonly rounds: number;
  readonly quick: boolean;
}

export const FULL_SETTINGS: MeasureSettings = {
  warmupMs: 200,
  budgetMs: 300,
  count: undefined,
  rounds: 7,
  quick: false,
};

/** A mistake in a benchmark's command line: `bench/main.ts` reports it without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Short enough for a smoke run in a test or CI: it proves the suite works, not how fast. */
export const QUICK_SETTINGS: MeasureSettings = {
  warmupMs: 10,
  budgetMs: 20,
  count: undefined,
  rounds: 3,
  quick: true,
};

/**
 * Settings from the suite's arguments: `--quick` (or env `BENCH_QUICK=1`), then any of
 * `--rounds=N`, `--budget-ms=N`, `--warmup-ms=N`, `--count=N` to override single values.
 */
export function settingsFrom(args: readonly string[]): MeasureSettings {
  const quick = args.includes('--quick') || process.env.BENCH_QUICK === '1';
  const base = quick ? QUICK_SETTINGS : FULL_SETTINGS;
  return {
    quick,
    warmupMs: numberOption(args, 'warmup-ms') ?? base.warmupMs,
    budgetMs: numberOption(args, 'budget-ms') ?? base.budgetMs,
    count: numberOption(args, 'count') ?? base.count,
    rounds: Math.max(1, numberOption(args, 'rounds') ?? base.rounds),
  };
}

/** The value of `--name=value` as a non-negative number, undefined when absent. */
export function numberOption(args: readonly string[], name: string): number | undefined {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${name} expects a non-negative number, got '${text}'`);
  }
  return value;
}

/** The value of `--name=value`, undefined when absent. */
export function stringOption(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  const arg = args.findLast((a) => a.startsWith(prefix));
  return arg?.slice(prefix.length);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A full garbage collection, run before every measurement so that one side's garbage is not
 * collected on the other side's clock. `npm run bench` cannot pass `--expose-gc` to node, so the
 * flag is set at run time and the `gc` function taken from a fresh context.
 */
const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return gc as () => void;
  } catch {
    // No way to force a collection: measurements then include whatever GC falls on them.
  }
  return () => {};
})();

export interface Sample {
  readonly ops: number;
  readonly ms: number;
}

/**
 * Runs `op` sequentially (each one awaited when it returns a promise) for `budgetMs`, or exactly
 * `count` times. The clock is read once per chunk of operations, and chunks grow while they are
 * short, so that reading the clock does not weigh on operations that take nanoseconds.
 */
export async function measure(
  op: Op,
  budget: { readonly budgetMs: number; readonly count?: number | undefined },
): Promise<Sample> {
  collectGarbage();
  const limit = budget.count ?? Number.POSITIVE_INFINITY;
  const shortChunkMs = Math.min(1, budget.budgetMs / 20);
  let chunk = 1;
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (ops < limit && (budget.count !== undefined || now - start < budget.budgetMs)) {
    const n = Math.min(chunk, limit - ops);
    const chunkStart = now;
    for (let i = 0; i < n; i++) {
      const result = op();
      if (isThenable(result)) await result;
    }
    ops += n;
    now = performance.now();
    if (now - chunkStart < shortChunkMs) chunk *= 2;
  }
  return { ops, ms: now - start };
}

export interface Rate {
  /** Median over rounds of operations per second. */
  readonly opsPerSec: number;
  /** Microseconds per operation at that median rate. */
  readonly usPerOp: number;
  /** Each round's operations per second, in round order. */
  readonly rounds: readonly number[];
}

export interface Comparison {
  readonly raw: Rate;
  readonly ours: Rate;
  /** Median of the per-round ratios ours/raw of operations per second (>1: ours is faster). */
  readonly ratio: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function rateOf(rounds: readonly number[]): Rate {
  const opsPerSec = median(rounds);
  return { opsPerSec, usPerOp: 1e6 / opsPerSec, rounds };
}

/** Compares a baseline and our code in interleaved rounds (see the module comment). */
export async function compare(raw: Op, ours: Op, settings: MeasureSettings): Promise<Comparison> {
  if (settings.warmupMs > 0) {
    await measure(raw, { budgetMs: settings.warmupMs });
    await measure(ours, { budgetMs: settings.warmupMs });
  }
  const rawRounds: number[] = [];
  const oursRounds: number[] = [];
  const budget = { budgetMs: settings.budgetMs, count: settings.count };
  const opsPerSec = (s: Sample) => (s.ops * 1000) / s.ms;
  for (let round = 0; round < settings.rounds; round++) {
    if (round % 2 === 0) {
      rawRounds.push(opsPerSec(await measure(raw, budget)));
      oursRounds.push(opsPerSec(await measure(ours, budget)));
    } else {
      oursRounds.push(opsPerSec(await measure(ours, budget)));
      rawRounds.push(opsPerSec(await measure(raw, budget)));
    }
  }
  return {
    raw: rateOf(rawRounds),
    ours: rateOf(oursRounds),
    ratio: median(oursRounds.map((o, i) => o / (rawRounds[i] as number))),
  };
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `12,345` for large numbers, `12.3` / `1.23` for small ones. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return grouped.format(value);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** `12,345/s` with an optional unit: `12,345 keys/s`. */
export function formatRate(perSec: number, unit = 'ops'): string {
  return `${formatNumber(perSec)} ${unit}/s`;
}

export function formatMicros(us: number): string {
  return `${formatNumber(us)} µs`;
}

/** A markdown table with padded columns; `align` is 'l' or 'r' per column (default 'l'). */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('l' | 'r')[] = [],
): string {
  const widths = headers.map((h, c) =>
    Math.max(3, h.length, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const cell = (text: string, c: number) => {
    const width = widths[c] as number;
    return align[c] === 'r' ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: readonly string[]) =>
    `| ${headers.map((_, c) => cell(cells[c] ?? '', c)).join(' | ')} |`;
  const rule = `| ${widths
    .map((w, c) => (align[c] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)))
    .join(' | ')} |`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/** Prints a markdown table to stdout, ready to paste into a note. */
export function printTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly ('l' | 'r')[] = [],
): void {
  process.stdout.write(`${markdownTable(headers, rows, align)}\n`);
}
