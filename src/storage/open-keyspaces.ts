import { StorageError } from './storage-error.js';

/** A keyspace handle that can be told it may no longer be used. */
export interface ClosableKeyspace {
  closed: boolean;
}

/**
 * The keyspaces a provider has opened, and the provider's own open/closed state: one handle per
 * name (concurrent `open` calls share one creation), handles closed when their keyspace is
 * dropped or the provider closes. Every backend's provider keeps its handles here.
 */
export class OpenKeyspaces<S extends ClosableKeyspace> {
  private readonly handles = new Map<string, Promise<S>>();
  private closed = false;

  checkOpen(): void {
    if (this.closed) throw new StorageError('CLOSED', 'storage provider is closed');
  }

  /** The open handle of `name`, or the one `create` makes (once, however many callers wait). */
  get(name: string, create: () => S | Promise<S>): Promise<S> {
    this.checkOpen();
    let handle = this.handles.get(name);
    if (handle === undefined) {
      handle = Promise.resolve().then(create);
      this.handles.set(name, handle);
      // A failed creation is forgotten, so that the next call tries again.
      handle.catch(() => this.handles.delete(name));
    }
    return handle;
  }

  /** Closes the handle of a dropped keyspace; a later `get` makes a new one. */
  async forget(name: string): Promise<void> {
    const handle = this.handles.get(name);
    this.handles.delete(name);
    const storage = await handle?.catch(() => undefined);
    if (storage !== undefined) storage.closed = true;
  }

  /** Closes every handle and the provider; resolves false when it was closed already. */
  async closeAll(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    for (const handle of this.handles.values()) {
      const storage = await handle.catch(() => undefined);
      if (storage !== undefined) storage.closed = true;
    }
    this.handles.clear();
    return true;
  }
}
