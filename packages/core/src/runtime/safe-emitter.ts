import { EventEmitter } from "eventemitter3";

type Listener = (...args: never[]) => void;

const onListenerErrors = new WeakMap<object, (error: unknown, event: string) => void>();
/**
 * Each emitter's wrapped listeners (per listener, per event), beside the emitter: made with its first listener.
 * Per function, per event: one function listening to two events must report each failure under its own event.
 */
const wrappersOf = new WeakMap<object, WeakMap<Listener, Map<unknown, Listener>>>();

/**
 * An eventemitter3 emitter whose listeners cannot break the emitter: each listener is wrapped at registration,
 * so one that throws is reported through `onListenerError` and the next listeners still run.
 * `off(name, fn)` with the original function still works (the wrapper is found through a WeakMap).
 */
export class SafeEmitter<Events extends EventEmitter.ValidEventTypes> extends EventEmitter<Events> {
  /** `onListenerError` hears of a listener that threw; a subclass may report them itself (`listenerFailed`). */
  constructor(onListenerError?: (error: unknown, event: string) => void) {
    super();
    // Kept beside the emitter, not in it: the Session overrides listenerFailed and would carry an empty field.
    if (onListenerError) onListenerErrors.set(this, onListenerError);
  }

  /** @internal A listener of `event` threw (or its promise rejected). */
  listenerFailed(error: unknown, event: string): void {
    onListenerErrors.get(this)?.(error, event);
  }

  #wrap(event: unknown, fn: Listener): Listener {
    // Made on the first listener: a session nobody listens to keeps no table.
    let wrappers = wrappersOf.get(this);
    if (!wrappers) {
      wrappers = new WeakMap();
      wrappersOf.set(this, wrappers);
    }
    let byEvent = wrappers.get(fn);
    if (!byEvent) {
      byEvent = new Map();
      wrappers.set(fn, byEvent);
    }
    let wrapped = byEvent.get(event);
    if (!wrapped) {
      const report = (error: unknown, name: string) => this.listenerFailed(error, name);
      wrapped = function (this: unknown, ...args: never[]) {
        try {
          const result = (fn as (...a: unknown[]) => unknown).apply(this, args);
          // An async listener's rejection is as much a listener failure as a throw.
          if (result && typeof (result as Promise<unknown>).catch === "function") {
            (result as Promise<unknown>).catch((error) => report(error, String(event)));
          }
        } catch (error) {
          report(error, String(event));
        }
      } as Listener;
      byEvent.set(event, wrapped);
    }
    return wrapped;
  }

  override on<T extends EventEmitter.EventNames<Events>>(
    event: T,
    fn: EventEmitter.EventListener<Events, T>,
    context?: unknown,
  ): this {
    return super.on(event, this.#wrap(event, fn as Listener) as typeof fn, context);
  }

  override addListener<T extends EventEmitter.EventNames<Events>>(
    event: T,
    fn: EventEmitter.EventListener<Events, T>,
    context?: unknown,
  ): this {
    return super.addListener(event, this.#wrap(event, fn as Listener) as typeof fn, context);
  }

  override once<T extends EventEmitter.EventNames<Events>>(
    event: T,
    fn: EventEmitter.EventListener<Events, T>,
    context?: unknown,
  ): this {
    return super.once(event, this.#wrap(event, fn as Listener) as typeof fn, context);
  }

  override off<T extends EventEmitter.EventNames<Events>>(
    event: T,
    fn?: EventEmitter.EventListener<Events, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return super.off(
      event,
      fn &&
        ((wrappersOf
          .get(this)
          ?.get(fn as Listener)
          ?.get(event) ?? fn) as typeof fn),
      context,
      once,
    );
  }

  override removeListener<T extends EventEmitter.EventNames<Events>>(
    event: T,
    fn?: EventEmitter.EventListener<Events, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.off(event, fn, context, once);
  }
}
