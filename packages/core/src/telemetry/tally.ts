import type { Attributes, ObservableResult } from "@opentelemetry/api";

interface Cell {
  value: number;
  readonly attributes: Attributes;
}

/**
 * A counter kept in plain numbers, one per attribute set, and reported by an observable instrument when the metrics
 * are collected. A synchronous counter's `add` costs the SDK a hash of the attribute set and a clock read per call;
 * here a call is a lookup by the attribute object (Parley passes the same object for the same labels, see
 * LabelSets) and an addition. The values exported are the same: the running total of each attribute set, which the
 * SDK turns into deltas for a delta reader.
 */
export class Tally {
  /** Totals by attribute content, shared by every session the instruments serve. */
  readonly #cells = new Map<string, Cell>();
  /** The cell of an attribute object already seen (label sets are reused objects: no key built per call). */
  readonly #byObject = new WeakMap<Attributes, Cell>();

  /** `monotonic`: a counter (negative values ignored, as the SDK's Counter does); else an up-down counter. */
  constructor(private readonly monotonic: boolean) {}

  add(value: number, attributes: Attributes = EMPTY): void {
    if ((this.monotonic && value < 0) || !Number.isFinite(value)) return;
    let cell = this.#byObject.get(attributes);
    if (!cell) {
      cell = this.#cell(attributes);
      this.#byObject.set(attributes, cell);
    }
    cell.value += value;
  }

  /** The instrument's callback: every attribute set seen, with its total. */
  observe(result: ObservableResult): void {
    for (const cell of this.#cells.values()) result.observe(cell.value, cell.attributes);
  }

  #cell(attributes: Attributes): Cell {
    const key = contentKey(attributes);
    let cell = this.#cells.get(key);
    if (!cell) {
      cell = { value: 0, attributes: Object.freeze({ ...attributes }) };
      this.#cells.set(key, cell);
    }
    return cell;
  }
}

const EMPTY: Attributes = Object.freeze({});

/** The same string for the same attributes in any order. */
function contentKey(attributes: Attributes): string {
  return JSON.stringify(
    Object.keys(attributes)
      .sort()
      .map((key) => [key, attributes[key]]),
  );
}
