import type { SessionState } from '../core/session.js';

/** A change to a session's state, as the holding tab relays it. */
export type SessionEvent =
  | { readonly kind: 'welcome'; readonly id: string; readonly resumed: boolean }
  | { readonly kind: 'sent'; readonly s: number; readonly d: string }
  | { readonly kind: 'acknowledged'; readonly ack: number }
  | { readonly kind: 'received'; readonly s: number }
  /** The whole copy, for a tab that joins a group whose session is under way. */
  | { readonly kind: 'state'; readonly state: SessionState; readonly resumed: boolean };

/**
 * Every tab's copy of the group's session (`share="tabs"` with `resume`):
 * its id, the numbers both ways, and every message written and not yet
 * acknowledged by the server, whichever tab sent it. The tab that takes
 * over from a holder that vanished resumes the session from this copy, so
 * a handover loses nothing the holder wrote and sends nothing twice.
 */
export class SessionMirror {
  #id: string | null = null;
  #resumed = false;
  #lastSent = 0;
  #lastReceived = 0;
  /** By number, in the order written. */
  readonly #written = new Map<number, string>();

  get id(): string | null {
    return this.#id;
  }

  get resumed(): boolean {
    return this.#resumed;
  }

  /** Written and not yet acknowledged. */
  get unacknowledged(): number {
    return this.#written.size;
  }

  apply(event: SessionEvent): void {
    switch (event.kind) {
      case 'welcome':
        if (event.id !== this.#id) {
          // A new session: what the old one had not acknowledged is the holder's to send again, renumbered.
          this.#id = event.id;
          this.#lastSent = this.#lastReceived = 0;
          this.#written.clear();
        }
        this.#resumed = event.resumed;
        return;
      case 'sent':
        this.#written.set(event.s, event.d);
        this.#lastSent = Math.max(this.#lastSent, event.s);
        return;
      case 'acknowledged':
        for (const s of this.#written.keys()) {
          if (s > event.ack) break;
          this.#written.delete(s);
        }
        return;
      case 'received':
        this.#lastReceived = Math.max(this.#lastReceived, event.s);
        return;
      case 'state':
        this.#id = event.state.id;
        this.#resumed = event.resumed;
        this.#lastSent = event.state.lastSent;
        this.#lastReceived = event.state.lastReceived;
        this.#written.clear();
        for (const { s, d } of event.state.written) this.#written.set(s, d);
        return;
    }
  }

  /** The state to resume from, once a session was welcomed. */
  state(): SessionState | undefined {
    if (this.#id === null) return undefined;
    const written = [...this.#written].map(([s, d]) => ({ s, d }));
    return { id: this.#id, lastSent: this.#lastSent, lastReceived: this.#lastReceived, written };
  }
}
