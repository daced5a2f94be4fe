// Failing an extension call with a message. As TinyGo guests do, the text `panic: <message>` goes
// to stdout (WASI fd_write on fd 1) and the call then traps; the host turns that into the call's
// error, so a client sees the message. `vpm build` points AssemblyScript's `abort` here (`--use
// abort=…/panic/abortHandler`), so `throw new Error(…)`, `assert(…)` and runtime errors (an
// index out of range, a null dereference) fail the same way, with the source position.

import { fd_write } from './wasi_snapshot_preview1';

const STDOUT: i32 = 1;
/** One iovec {ptr: u32, len: u32} and fd_write's count of bytes written, in static memory. */
const IOVEC: usize = memory.data(8, 4);
const NWRITTEN: usize = memory.data(4, 4);

let panicking = false;

function writeStdout(text: string): void {
  const size = String.UTF8.byteLength(text);
  const buffer = heap.alloc(<usize>size);
  String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, buffer);
  store<u32>(IOVEC, <u32>buffer);
  store<u32>(IOVEC, <u32>size, 4);
  fd_write(STDOUT, IOVEC, 1, NWRITTEN);
  heap.free(buffer);
}

function fail(text: string): void {
  // A failure while reporting a failure (out of memory, say) traps without a message rather than
  // recursing; the flag is cleared first so the next call reports again.
  if (panicking) {
    panicking = false;
    unreachable();
  }
  panicking = true;
  writeStdout(`panic: ${text}\n`);
  panicking = false;
  unreachable();
}

/**
 * Fails the current call with `message`: the command, query, projector or job does nothing (its
 * intents are dropped) and the caller gets the message as the error.
 */
export function panic(message: string): void {
  fail(message);
}

/** AssemblyScript's `abort`, which `vpm build` replaces with this function. SDK-internal. */
export function abortHandler(
  message: string | null = null,
  fileName: string | null = null,
  lineNumber: u32 = 0,
  columnNumber: u32 = 0,
): void {
  const text = message !== null ? message : 'abort';
  fail(fileName !== null ? `${text} (${fileName}:${lineNumber}:${columnNumber})` : text);
}
