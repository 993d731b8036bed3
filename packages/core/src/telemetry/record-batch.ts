import type { Attributes, Histogram } from "@opentelemetry/api";

/** Records held at most before they are handed to the SDK (a few responses of a busy process; a few KB). */
export const RECORD_BATCH = 64;

/**
 * Attribute sets a histogram remembers at most (a few per session seen in the interval). When full it forgets them
 * all and starts over: a set's next record then goes to the SDK directly again, which is always right, only not
 * batched. (Going direct for every set past the bound instead made every record of the later sessions direct until
 * the next collection: the telemetry bench, whose modes attach a new observer per block and which runs no
 * collection, lost most of the batching.)
 */
const MAX_SEEN = 1024;

/**
 * Histogram records kept in plain arrays and handed to the SDK together: when RECORD_BATCH are held, and when the
 * metrics are collected (Instruments flushes from an observable callback, which the SDK runs before it reads its
 * histograms, on every collection: periodic export, `forceFlush`, shutdown, a Prometheus scrape). The SDK's work per
 * record (a hash of the attribute set, a map lookup, the bucket) is the same, but done in a loop its code and data
 * stay in the CPU's caches: one record at a time, between the frames of a session, costs it three to four times as
 * much (the telemetry bench).
 *
 * The first record of each (histogram, attribute set) in a collection interval is not held: it goes to the SDK at
 * once. The SDK stamps a series' start time (the start of a delta point, and of a cumulative series) when it is
 * handed the series' first value of the interval; had that value waited for the collection's flush, the point would
 * start when it ends (a zero-length interval, even 1 ms inverted, as the collection's time is read before its
 * callbacks run). Later records of the set only add to a series the SDK already has, so what a reader gets, start
 * times included, is what records made one by one give. "Each attribute set" is by identity: callers pass sets they
 * make once and do not change afterwards (LabelSets, frozen; a session's labels), which are also kept until they
 * are handed over. A fresh object per record (a delegation's tokens) is only ever handed over directly.
 *
 * Exemplars (not wired by sdk-metrics 2.x; Parley passes no context): a batched record would carry the context
 * active at the flush, not at the record.
 */
export class RecordBatch {
  #histograms: Histogram[] = [];
  #values: number[] = [];
  #attributes: Attributes[] = [];
  readonly #batched: BatchedHistogram[] = [];

  /** `histogram`, its records going through this batch. */
  of(histogram: Histogram): BatchedHistogram {
    const batched = new BatchedHistogram(this, histogram);
    this.#batched.push(batched);
    return batched;
  }

  add(histogram: Histogram, value: number, attributes: Attributes): void {
    this.#histograms.push(histogram);
    this.#values.push(value);
    this.#attributes.push(attributes);
    if (this.#values.length >= RECORD_BATCH) this.flush();
  }

  /** Hands every record held to the SDK, in the order they were made. */
  flush(): void {
    const histograms = this.#histograms;
    const values = this.#values;
    const attributes = this.#attributes;
    const n = values.length;
    if (n === 0) return;
    // Taken before the SDK is called: a record it would make meanwhile (none does) goes in the next batch.
    this.#histograms = [];
    this.#values = [];
    this.#attributes = [];
    for (let i = 0; i < n; i++)
      (histograms[i] as Histogram).record(values[i] as number, attributes[i]);
  }

  /**
   * A collection is reading the histograms (the SDK calls this before it does): everything held goes in, and the
   * next interval starts, in which each attribute set's first record goes to the SDK directly again.
   */
  collected(): void {
    this.flush();
    for (const h of this.#batched) h.seen.clear();
  }

  /** Records held now (tests). */
  get size(): number {
    return this.#values.length;
  }
}

/** A histogram whose records are batched (see RecordBatch). */
export class BatchedHistogram {
  /** Attribute sets recorded since the last collection: the SDK has a series for each. */
  readonly seen = new Set<Attributes>();

  constructor(
    private readonly batch: RecordBatch,
    private readonly histogram: Histogram,
  ) {}

  record(value: number, attributes: Attributes): void {
    if (this.seen.has(attributes)) {
      this.batch.add(this.histogram, value, attributes);
      return;
    }
    if (this.seen.size >= MAX_SEEN) this.seen.clear();
    this.seen.add(attributes);
    this.histogram.record(value, attributes);
  }
}
