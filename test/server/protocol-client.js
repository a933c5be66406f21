// @ts-check
// For the Node tests of ws-connection/server: a real `ws` server with a SessionServer on it, and a
// client that speaks the resume protocol by hand, one frame at a time, so each test says exactly
// what the client sends and checks exactly what comes back.
import { once } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';
import { SessionServer } from '../../dist/server/index.js';

/**
 * A `ws` server on 127.0.0.1 (a free port) whose connections go to a new SessionServer.
 * @param {import('../../dist/server/index.js').SessionServerOptions} [options]
 */
export async function startSessionServer(options = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  const server = new SessionServer(options);
  wss.on('connection', (socket, request) => server.accept(socket, request));
  const address = /** @type {import('node:net').AddressInfo} */ (wss.address());
  return {
    server,
    url: `ws://127.0.0.1:${address.port}/`,
    async close() {
      await server.close();
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    },
  };
}

/** @typedef {{ t: string, [field: string]: unknown }} Frame */

export class ProtocolClient {
  /** @type {Frame[]} */
  #frames = [];
  /** @type {(() => void)[]} */
  #waiting = [];

  /**
   * Opens a socket to `url`, with `headers` on its upgrade request.
   * @param {string} url @param {Record<string, string>} [headers]
   */
  static async connect(url, headers = {}) {
    const socket = new WebSocket(url, { headers });
    await once(socket, 'open');
    return new ProtocolClient(socket);
  }

  /** Opens a socket and says hello: a new session, or a resume of `session` with `ack`. */
  static async open(
    /** @type {string} */ url,
    /** @type {{ session?: string, ack?: number, headers?: Record<string, string> }} */ resume = {},
  ) {
    const client = await ProtocolClient.connect(url, resume.headers);
    client.hello(resume.session, resume.ack);
    const welcome = await client.next();
    return { client, welcome };
  }

  constructor(/** @type {WebSocket} */ socket) {
    this.socket = socket;
    /** @type {Promise<{ code: number, reason: string }>} */
    this.closed = new Promise((resolve) => {
      socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    socket.on('message', (data) => {
      this.#frames.push(JSON.parse(String(data)));
      for (const wake of this.#waiting.splice(0)) wake();
    });
  }

  /** The next frame the server sent, in order, waiting for it. */
  async next() {
    while (this.#frames.length === 0) {
      const arrived = new Promise((resolve) => this.#waiting.push(() => resolve(undefined)));
      const ended = this.closed.then(({ code }) => {
        throw new Error(`socket closed (${code}) while a frame was awaited`);
      });
      await Promise.race([arrived, ended]);
    }
    return /** @type {Frame} */ (this.#frames.shift());
  }

  /** The next frame of kind `t`, dropping the frames of other kinds before it. */
  async nextOf(/** @type {string} */ t) {
    for (;;) {
      const frame = await this.next();
      if (frame.t === t) return frame;
    }
  }

  /** The next `count` data frames, dropping acknowledgements between them. */
  async data(/** @type {number} */ count) {
    /** @type {Frame[]} */
    const frames = [];
    while (frames.length < count) frames.push(await this.nextOf('m'));
    return frames;
  }

  /** Frames received and not read yet. */
  get unread() {
    return [...this.#frames];
  }

  send(/** @type {object} */ frame) {
    this.socket.send(JSON.stringify(frame));
  }

  hello(/** @type {string | undefined} */ session, /** @type {number | undefined} */ ack = 0) {
    this.send(session === undefined ? { t: 'hello', v: 1 } : { t: 'hello', v: 1, session, ack });
  }

  message(/** @type {number} */ s, /** @type {unknown} */ d) {
    this.send({ t: 'm', s, d });
  }

  ack(/** @type {number} */ ack) {
    this.send({ t: 'a', ack });
  }

  /** Closes the socket and waits until it is closed. */
  async close(code = 1000) {
    this.socket.close(code);
    return this.closed;
  }
}

/**
 * The next `count` times `emitter` emits `event`, each as its first argument.
 * @param {import('node:events').EventEmitter} emitter @param {string} event @param {number} count
 * @returns {Promise<unknown[]>}
 */
export function collect(emitter, event, count) {
  /** @type {unknown[]} */
  const values = [];
  return new Promise((resolve) => {
    const listener = (/** @type {unknown} */ value) => {
      values.push(value);
      if (values.length < count) return;
      emitter.off(event, listener);
      resolve(values);
    };
    emitter.on(event, listener);
  });
}
