import type { SandboxEvent } from './types.ts';

export type EventListener = (event: SandboxEvent) => void;

/** Fans world changes out to the SSE streams. */
export class EventBus {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(event: SandboxEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
