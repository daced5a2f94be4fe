// The few WASI preview1 functions that extension guests use, written here rather than taken from
// node:wasi: guests get no file system, arguments or environment at all, only stdout (which
// carries TinyGo's panic text), the clocks and random bytes. Every other WASI function a module
// imports answers ENOSYS, so a module that merely links them still loads.
import { getRandomValues } from 'node:crypto';

const ERRNO_SUCCESS = 0;
const ERRNO_BADF = 8;
const ERRNO_INVAL = 28;
const ERRNO_NOSYS = 52;

/** What a guest wrote to stdout and stderr during one call, kept up to a limit as the reference does. */
export class GuestOutput {
  private readonly chunks: string[] = [];
  private size = 0;
  private readonly decoder = new TextDecoder();

  constructor(private readonly limit = 1024) {}

  append(bytes: Uint8Array): void {
    const room = this.limit - this.size;
    if (room <= 0) return;
    const part = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.chunks.push(this.decoder.decode(part));
    this.size += part.length;
  }

  text(): string {
    return this.chunks.join('');
  }

  clear(): void {
    if (this.size === 0) return;
    this.chunks.length = 0;
    this.size = 0;
  }

  get empty(): boolean {
    return this.size === 0;
  }
}

/** Raised by `proc_exit`; the call that exits fails with it. */
export class WasiExit extends Error {
  override readonly name = 'WasiExit';
  constructor(readonly code: number) {
    super(`the extension exited with code ${code}`);
  }
}

/**
 * The `wasi_snapshot_preview1` import object for one instance. `memory` is read at each call,
 * since the guest's memory buffer is replaced whenever it grows.
 */
export function wasiImports(
  memory: () => WebAssembly.Memory,
  output: GuestOutput,
  wanted: readonly string[],
): Record<string, (...args: never[]) => unknown> {
  const view = () => new DataView(memory().buffer);
  const known: Record<string, (...args: never[]) => unknown> = {
    fd_write(fd: number, iovs: number, iovsLen: number, nwritten: number): number {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      const dv = view();
      let total = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = dv.getUint32(iovs + i * 8, true);
        const len = dv.getUint32(iovs + i * 8 + 4, true);
        output.append(new Uint8Array(dv.buffer, ptr, len));
        total += len;
      }
      dv.setUint32(nwritten, total, true);
      return ERRNO_SUCCESS;
    },
    clock_time_get(clockId: number, _precision: bigint, time: number): number {
      // 0 realtime, 1 monotonic, 2 and 3 the process and thread CPU clocks (monotonic will do).
      let ns: bigint;
      if (clockId === 0) ns = BigInt(Date.now()) * 1_000_000n;
      else if (clockId <= 3) ns = process.hrtime.bigint();
      else return ERRNO_INVAL;
      view().setBigUint64(time, ns, true);
      return ERRNO_SUCCESS;
    },
    clock_res_get(clockId: number, resolution: number): number {
      if (clockId > 3) return ERRNO_INVAL;
      view().setBigUint64(resolution, clockId === 0 ? 1_000_000n : 1n, true);
      return ERRNO_SUCCESS;
    },
    random_get(ptr: number, len: number): number {
      // getRandomValues fills at most 64 KiB at a time.
      for (let at = 0; at < len; at += 65536) {
        getRandomValues(new Uint8Array(memory().buffer, ptr + at, Math.min(65536, len - at)));
      }
      return ERRNO_SUCCESS;
    },
    args_sizes_get(argc: number, argvBufSize: number): number {
      const dv = view();
      dv.setUint32(argc, 0, true);
      dv.setUint32(argvBufSize, 0, true);
      return ERRNO_SUCCESS;
    },
    args_get: (): number => ERRNO_SUCCESS,
    environ_sizes_get(count: number, bufSize: number): number {
      const dv = view();
      dv.setUint32(count, 0, true);
      dv.setUint32(bufSize, 0, true);
      return ERRNO_SUCCESS;
    },
    environ_get: (): number => ERRNO_SUCCESS,
    sched_yield: (): number => ERRNO_SUCCESS,
    proc_exit(code: number): never {
      throw new WasiExit(code);
    },
  };
  const out: Record<string, (...args: never[]) => unknown> = {};
  for (const name of wanted) out[name] = known[name] ?? ((): number => ERRNO_NOSYS);
  return out;
}
