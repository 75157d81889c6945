import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { untilStopped } from '../../app/lib/server/stop';

const request = (signal = new AbortController().signal) => new Request('http://localhost/api/snapshots', { method: 'POST', signal });
const nodeRequest = () => ({ socket: new EventEmitter() as unknown as Socket });

describe('untilStopped', () => {
  it('aborts when the client disconnects, even once the body has been read', () => {
    const req = nodeRequest();
    const stop = untilStopped(request(), req, new AbortController().signal);
    expect(stop.signal.aborted).toBe(false);
    req.socket.emit('close');
    expect(stop.signal.aborted).toBe(true);
  });

  it("aborts when the server is told to stop, or the Request's own signal aborts", () => {
    const server = new AbortController();
    const stop = untilStopped(request(), nodeRequest(), server.signal);
    server.abort();
    expect(stop.signal.aborted).toBe(true);
    const client = new AbortController();
    const other = untilStopped(request(client.signal), undefined, new AbortController().signal);
    client.abort();
    expect(other.signal.aborted).toBe(true);
  });

  it('stops watching the socket when the request is done (a keep-alive socket serves many)', () => {
    const req = nodeRequest();
    const stop = untilStopped(request(), req, new AbortController().signal);
    expect(req.socket.listenerCount('close')).toBe(1);
    stop.done();
    expect(req.socket.listenerCount('close')).toBe(0);
    req.socket.emit('close');
    expect(stop.signal.aborted).toBe(false);
  });
});
