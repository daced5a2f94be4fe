// A server-sent events stream on a raw HTTP response (http-api.md §0, §4): `event: <name>` /
// `data: <payload>` frames, written as they come while the client reads them. A client that does
// not read never makes the server hold more than one frame per event name: notifications say
// "this projection reached offset N", so only the latest N of each name is worth sending.
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** How long a stream ended by a shutdown may take to flush before its connection is cut. */
const SHUTDOWN_GRACE_MS = 1000;

export const SSE_HEADERS: Readonly<OutgoingHttpHeaders> = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

export class SseStream {
  /** Frames waiting for the socket to drain (or for the stream to open): event name → data. */
  private readonly pending = new Map<string, string>();
  private readonly endListeners: (() => void)[] = [];
  private opened = false;
  private ended = false;
  private readonly closed: Promise<void>;
  private markClosed: () => void = () => {};

  constructor(private readonly res: ServerResponse) {
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
  }

  /** Calls `listener` once, when the stream ends for any reason (or at once if it has). */
  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /**
   * Answers 200 with `headers` (the SSE ones are added), writes the first frame, then whatever was
   * sent before. Returns false, and ends the stream, when the client has already gone.
   */
  open(headers: OutgoingHttpHeaders, first: { event: string; data: string }): boolean {
    if (this.ended) return false;
    const { res } = this;
    // 'close' comes when the response is complete or the connection is gone (client disconnect).
    res.on('close', () => {
      this.finish();
      this.markClosed();
    });
    // A failed write surfaces as an error of the response; the stream is over then.
    res.on('error', () => this.finish());
    res.on('drain', () => this.flush());
    if (res.destroyed || res.socket === null || res.socket.destroyed) {
      this.finish();
      this.markClosed();
      return false;
    }
    res.writeHead(200, { ...headers, ...SSE_HEADERS });
    this.opened = true;
    this.write(frameOf(first.event, first.data));
    this.flush();
    return !this.ended;
  }

  /** Sends a frame; while the client is not reading, a later frame of the same name replaces it. */
  send(event: string, data: string): void {
    if (this.ended) return;
    if (!this.opened || this.pending.size > 0 || this.res.writableNeedDrain) {
      this.pending.delete(event);
      this.pending.set(event, data);
      return;
    }
    this.write(frameOf(event, data));
  }

  /**
   * Ends the stream. On a shutdown (`closeConnection`) the connection is closed too, so that the
   * server's close does not wait for the client; if the client does not take the rest within a
   * grace period, the connection is cut. Resolves once the response is closed.
   */
  end(options: { closeConnection?: boolean } = {}): Promise<void> {
    if (!this.opened) {
      // Nothing was answered yet: the route answers (with an error) or has nobody to answer.
      this.finish();
      this.markClosed();
      return this.closed;
    }
    const { res } = this;
    // The response lets go of its socket once finished: keep hold of it to close it then.
    const socket = res.socket;
    if (!res.writableEnded && !res.destroyed) {
      if (options.closeConnection === true) {
        const cut = setTimeout(() => res.destroy(), SHUTDOWN_GRACE_MS);
        cut.unref();
        res.once('close', () => clearTimeout(cut));
        res.end(() => socket?.destroySoon());
      } else {
        res.end();
      }
    } else if (options.closeConnection === true) {
      socket?.destroySoon();
    }
    this.finish();
    if (res.destroyed) this.markClosed();
    return this.closed;
  }

  private flush(): void {
    for (const [event, data] of this.pending) {
      if (this.ended || this.res.writableNeedDrain) return;
      this.pending.delete(event);
      this.write(frameOf(event, data));
    }
  }

  private write(frame: string): void {
    try {
      this.res.write(frame);
    } catch {
      this.finish();
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.pending.clear();
    for (const listener of this.endListeners.splice(0)) listener();
  }
}

/** `event: <name>\ndata: <payload>\n\n`; a line break inside would end the frame early. */
function frameOf(event: string, data: string): string {
  return `event: ${oneLine(event)}\ndata: ${oneLine(data)}\n\n`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
