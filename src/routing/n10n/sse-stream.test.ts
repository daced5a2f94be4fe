// The SSE stream on a stand-in response whose backpressure the tests switch on and off: frames in
// order, the channel ID first, and while the client does not read, one frame per event name.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { SseStream } from './sse-stream.js';

/** The parts of a ServerResponse the stream uses, recording what is written. */
class FakeResponse extends EventEmitter {
  head: { status: number; headers: OutgoingHttpHeaders } | undefined;
  written = '';
  writableNeedDrain = false;
  writableEnded = false;
  destroyed = false;
  socket: { destroyed: boolean; destroySoon(): void } | null = {
    destroyed: false,
    destroySoon: () => {},
  };

  writeHead(status: number, headers: OutgoingHttpHeaders): this {
    this.head = { status, headers };
    return this;
  }
  write(chunk: string): boolean {
    this.written += chunk;
    return !this.writableNeedDrain;
  }
  end(callback?: () => void): this {
    this.writableEnded = true;
    queueMicrotask(() => {
      callback?.();
      this.emit('close');
    });
    return this;
  }
  destroy(): this {
    this.destroyed = true;
    this.emit('close');
    return this;
  }
  /** The frames written so far, as [event, data] pairs. */
  frames(): [string, string][] {
    return this.written
      .split('\n\n')
      .filter((f) => f !== '')
      .map((f) => {
        const [event, data] = f.split('\n');
        return [event?.replace('event: ', '') ?? '', data?.replace('data: ', '') ?? ''];
      });
  }
}

function streamOn(res: FakeResponse): SseStream {
  return new SseStream(res as unknown as ServerResponse);
}

describe('SseStream', () => {
  test('opens with the SSE headers and the first frame, then what was sent before', () => {
    const res = new FakeResponse();
    const stream = streamOn(res);
    stream.send('a', '1');
    stream.send('a', '2');
    assert.equal(
      stream.open({ 'access-control-allow-origin': '*' }, { event: 'channelId', data: 'c' }),
      true,
    );
    assert.deepEqual(res.head, {
      status: 200,
      headers: {
        'access-control-allow-origin': '*',
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      },
    });
    stream.send('b', '7');
    assert.equal(
      res.written,
      'event: channelId\ndata: c\n\nevent: a\ndata: 2\n\nevent: b\ndata: 7\n\n',
    );
  });

  test('while the client does not read, only the latest frame of each name waits', () => {
    const res = new FakeResponse();
    const stream = streamOn(res);
    stream.open({}, { event: 'channelId', data: 'c' });
    res.writableNeedDrain = true;
    for (let i = 1; i <= 10_000; i++) {
      stream.send('x', String(i));
      stream.send('y', String(2 * i));
    }
    assert.deepEqual(res.frames(), [['channelId', 'c']], 'nothing written while not draining');
    res.writableNeedDrain = false;
    res.emit('drain');
    assert.deepEqual(res.frames(), [
      ['channelId', 'c'],
      ['x', '10000'],
      ['y', '20000'],
    ]);
  });

  test('a drain that fills up again leaves the rest waiting, in order', () => {
    const res = new FakeResponse();
    const stream = streamOn(res);
    stream.open({}, { event: 'channelId', data: 'c' });
    res.writableNeedDrain = true;
    stream.send('x', '1');
    stream.send('y', '1');
    // The next write fills the buffer again.
    res.writableNeedDrain = false;
    const write = res.write.bind(res);
    res.write = (chunk: string) => {
      const ok = write(chunk);
      res.writableNeedDrain = true;
      return ok;
    };
    res.emit('drain');
    stream.send('y', '2');
    assert.deepEqual(res.frames().slice(1), [['x', '1']]);
    res.writableNeedDrain = false;
    res.write = write;
    res.emit('drain');
    assert.deepEqual(res.frames().slice(1), [
      ['x', '1'],
      ['y', '2'],
    ]);
  });

  test('the close of the response ends the stream once; later frames are dropped', () => {
    const res = new FakeResponse();
    const stream = streamOn(res);
    let ends = 0;
    stream.onEnd(() => ends++);
    stream.open({}, { event: 'channelId', data: 'c' });
    res.emit('close');
    res.emit('error', new Error('write failed'));
    stream.send('x', '1');
    assert.equal(ends, 1);
    assert.equal(stream.isEnded, true);
    assert.deepEqual(res.frames(), [['channelId', 'c']]);
  });

  test('a client gone before the stream opens: open answers false and ends it', () => {
    const res = new FakeResponse();
    res.destroyed = true;
    const stream = streamOn(res);
    let ended = false;
    stream.onEnd(() => {
      ended = true;
    });
    assert.equal(stream.open({}, { event: 'channelId', data: 'c' }), false);
    assert.equal(ended, true);
    assert.equal(res.head, undefined);
  });

  test('end before open writes nothing (the route answers the error)', async () => {
    const res = new FakeResponse();
    const stream = streamOn(res);
    await stream.end();
    assert.equal(stream.isEnded, true);
    assert.equal(res.written, '');
    assert.equal(res.writableEnded, false);
  });

  test('end on a shutdown ends the response and closes the connection', async () => {
    const res = new FakeResponse();
    let closedSocket = false;
    res.socket = { destroyed: false, destroySoon: () => (closedSocket = true) };
    const stream = streamOn(res);
    stream.open({}, { event: 'channelId', data: 'c' });
    await stream.end({ closeConnection: true });
    assert.equal(res.writableEnded, true);
    assert.equal(closedSocket, true);
  });

  test('line breaks cannot split a frame', () => {
    const res = new FakeResponse();
    const stream = streamOn(res);
    stream.open({}, { event: 'channelId', data: 'c' });
    stream.send('error', 'one\ntwo');
    assert.deepEqual(res.frames().slice(1), [['error', 'one two']]);
  });
});
