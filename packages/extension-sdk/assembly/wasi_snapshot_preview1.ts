// The one WASI function the SDK uses: panics write their text to stdout, as TinyGo guests do, and
// the host turns that text into the call's error. The file's name is the import module's name.
// SDK-internal.

/** Writes the buffers described by `iovsLen` iovecs ({ptr: u32, len: u32}) at `iovs` to `fd`. */
export declare function fd_write(fd: i32, iovs: usize, iovsLen: i32, nwritten: usize): i32;
