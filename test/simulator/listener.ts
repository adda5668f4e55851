import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { ListenerControl } from './faults.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

// The HTTP(S) listener on 127.0.0.1. It tracks every socket so stop() and the refuse fault can
// cut them all, including connections held open by hang and trickle faults.
export class Listener implements ListenerControl {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #listening = false;

  constructor(handler: RequestHandler, tls?: { key: string; cert: string }) {
    this.#server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
    this.#server.on('connection', (s: Socket) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
  }

  get port(): number {
    return this.#port;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.#server.once('error', onError);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', onError);
        const addr = this.#server.address();
        this.#port = typeof addr === 'object' && addr ? addr.port : port;
        this.#listening = true;
        resolve(this.#port);
      });
    });
  }

  /** Stop accepting connections (clients get ECONNREFUSED) and drop the open ones. */
  refuse(): void {
    if (this.#listening) this.#server.close();
    this.#listening = false;
    this.destroySockets();
  }

  async reopen(): Promise<void> {
    if (!this.#listening) await this.listen(this.#port);
  }

  destroySockets(): void {
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
  }

  async stop(): Promise<void> {
    const closed = this.#listening ? new Promise<void>((resolve) => this.#server.close(() => resolve())) : Promise.resolve();
    this.#listening = false;
    this.destroySockets();
    await closed;
  }
}
