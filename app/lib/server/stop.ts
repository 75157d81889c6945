/**
 * When to give up on a request's work (an upload being loaded): its client went away, or
 * the server was told to stop. adapter-node answers SIGTERM and SIGINT by waiting for the
 * running requests, so a long upload would hold the process for minutes; and the Request's
 * own signal stops aborting once the body has been read, so the socket is watched too.
 */
import type { IncomingMessage } from 'node:http';

const stopping = new AbortController();
let listening = false;

/** Aborts on SIGTERM or SIGINT; where nothing else listens to the signal, the process then ends as it would have. */
export function serverStopping(): AbortSignal {
  if (!listening) {
    listening = true;
    for (const name of ['SIGTERM', 'SIGINT'] as const) {
      process.once(name, () => {
        stopping.abort(new Error(`${name}: the server is stopping`));
        if (process.listenerCount(name) === 0) process.kill(process.pid, name);
      });
    }
  }
  return stopping.signal;
}

/** A signal that aborts when the request's client disconnects or `server` aborts; `done()` stops watching. */
export function untilStopped(request: Request, req?: Pick<IncomingMessage, 'socket'>, server: AbortSignal = serverStopping()): { signal: AbortSignal; done(): void } {
  const gone = new AbortController();
  const disconnected = () => gone.abort(new Error('the client went away'));
  req?.socket.once('close', disconnected);
  return {
    signal: AbortSignal.any([request.signal, gone.signal, server]),
    done: () => req?.socket.off('close', disconnected)
  };
}
