// Guests name packages by their full path (`github.com/org/app/mypkg`), the state by the local
// name the application uses (`mypkg`). The reference maps one to the other through the app's
// package table and also accepts the local name itself; so do we. A module built from a package
// whose full path we were never told (a Go module path, say) is found by its last segment.
import type { LocalQName } from './host-state.js';

export const SYS_PACKAGE_PATH = 'github.com/voedger/voedger/pkg/sys';

export class PackageNames {
  private readonly toLocal = new Map<string, string>();
  private readonly toPath = new Map<string, string>();

  constructor(packages: readonly { readonly localName: string; readonly path: string }[]) {
    this.add('sys', SYS_PACKAGE_PATH);
    for (const p of packages) {
      if (p.localName === 'sys') this.toLocal.set(p.path, 'sys');
      else this.add(p.localName, p.path);
    }
  }

  private add(local: string, path: string): void {
    this.toLocal.set(path, local);
    this.toLocal.set(local, local);
    this.toPath.set(local, path);
  }

  /** The local name of a package given by its full path or local name. */
  local(path: string): string {
    const known = this.toLocal.get(path);
    if (known !== undefined) return known;
    const last = path.slice(path.lastIndexOf('/') + 1);
    if (last !== path && this.toPath.has(last)) {
      this.toLocal.set(path, last);
      return last;
    }
    throw new Error(`undefined package: ${path}`);
  }

  /** The full path of a local package name (the name itself when unknown). */
  path(local: string): string {
    return this.toPath.get(local) ?? local;
  }

  /** `full/path.Entity` (split at the last dot) as a local QName. */
  localQName(full: string): LocalQName {
    const dot = full.lastIndexOf('.');
    if (dot <= 0 || dot === full.length - 1) {
      throw new Error(`convert error: string «${full}» to qualified name`);
    }
    return `${this.local(full.slice(0, dot))}.${full.slice(dot + 1)}`;
  }
}

/** Splits a local QName into package and entity; a string without a dot is an error. */
export function splitQName(qname: string): [pkg: string, entity: string] {
  const dot = qname.indexOf('.');
  if (dot <= 0 || dot === qname.length - 1) {
    throw new Error(`convert error: string «${qname}» to qualified name`);
  }
  return [qname.slice(0, dot), qname.slice(dot + 1)];
}
