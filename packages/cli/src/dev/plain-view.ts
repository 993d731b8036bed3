import * as readline from "node:readline";
import { compactJson, elapsed } from "./format.ts";
import { type DevStatus, type DevView, LineRouter, SpokenOrder, type ViewArg } from "./view.ts";

/**
 * `agent dev` when stdin is not a terminal: a plain transcript on stdout, one line per event, no colours or
 * redraws, so it can be piped, diffed and tested. What `agent dev` itself says (banner, reloads) goes to stderr.
 *
 * ```
 * user: What's the weather in Paris?
 * tool: get_weather {"city":"Paris"}
 * filler: Let me look at the sky over there.
 * tool: get_weather completed in 0.8s → {"city":"Paris","sky":"sunny"}
 * agent: It's sunny in Paris.
 * ```
 */
export class PlainView implements DevView {
  readonly #in: NodeJS.ReadableStream;
  readonly #out: NodeJS.WritableStream;
  readonly #err: NodeJS.WritableStream;
  readonly #router = new LineRouter();
  readonly #started = new Map<string, number>();
  readonly #queue: string[] = [];
  /** Words of responses still streaming, by response id (shown if the response ends without a transcript). */
  readonly #partial = new Map<string, string>();
  readonly #cut = new Set<string>();
  readonly #order = new SpokenOrder();
  #wantsLine = false;
  #inputEnded = false;
  #ended = false;
  #onEnd: () => void = () => {};

  constructor(
    input: NodeJS.ReadableStream,
    output: NodeJS.WritableStream,
    errors: NodeJS.WritableStream,
  ) {
    this.#in = input;
    this.#out = output;
    this.#err = errors;
    this.#router.onBadAnswer = () => this.#err.write("# please answer y or n\n");
  }

  start(onLine: (line: string) => void, onEnd: () => void): void {
    const rl = readline.createInterface({ input: this.#in, terminal: false });
    this.#router.onLine = onLine;
    this.#onEnd = onEnd;
    rl.on("line", (line) => {
      this.#queue.push(line);
      this.#pump();
    });
    rl.on("close", () => {
      this.#inputEnded = true;
      this.#pump();
    });
  }

  /** Piped input is taken one line per turn: the next line goes out only when the last turn is done. */
  ready(): void {
    this.#wantsLine = true;
    this.#pump();
  }

  #pump(): void {
    // An approval question takes the next line, even ahead of the turn being done.
    if (this.#router.asking && this.#queue.length > 0) {
      this.#router.line(this.#queue.shift() as string);
      this.#pump();
      return;
    }
    if (this.#wantsLine && this.#queue.length > 0) {
      this.#wantsLine = false;
      this.#router.line(this.#queue.shift() as string);
      return;
    }
    if (this.#inputEnded && this.#queue.length === 0) {
      if (this.#router.asking) this.#router.cancel();
      if (this.#wantsLine && !this.#ended) {
        this.#ended = true;
        this.#onEnd();
      }
    }
  }

  banner(lines: string[]): void {
    for (const l of lines) this.#err.write(`# ${l}\n`);
  }

  notice(text: string): void {
    this.#err.write(`# ${text}\n`);
  }

  problem(text: string): void {
    this.#err.write(`${text}\n`);
  }

  user(text: string): void {
    this.#out.write(`user: ${text}\n`);
  }

  agentDelta(e: ViewArg<"agentDelta">): void {
    this.#partial.set(e.responseId, (this.#partial.get(e.responseId) ?? "") + e.delta);
    this.#order.speaking(e.responseId, e.kind);
  }

  responseEnded(e: ViewArg<"responseEnded">): void {
    const text = this.#partial.get(e.responseId)?.trim();
    this.#partial.delete(e.responseId);
    if (text)
      this.#out.write(`${e.kind === "filler" ? "filler" : "agent"}: ${text}… [${e.status}]\n`);
    this.#order.finished(e.responseId);
  }

  interrupted(e: ViewArg<"interrupted">): void {
    if (e.itemId) this.#cut.add(e.itemId);
  }

  agentDone(e: ViewArg<"agentDone">): void {
    this.#partial.delete(e.responseId);
    const who = e.kind === "filler" ? "filler" : "agent";
    const cut = this.#cut.delete(e.itemId) ? " [cut off]" : "";
    if (e.transcript.trim()) this.#out.write(`${who}: ${e.transcript.trim()}${cut}\n`);
    this.#order.finished(e.responseId);
  }

  toolCall(e: ViewArg<"toolCall">): void {
    this.#started.set(e.callId, Date.now());
    // A delegation's own calls are shown under it.
    this.#out.write(
      `${e.parentCallId ? "  ↳ " : ""}tool: ${e.tool} ${compactJson(e.arguments, 200)}\n`,
    );
  }

  toolProgress(e: ViewArg<"toolProgress">): void {
    this.#out.write(`progress: ${e.tool}: ${e.message}\n`);
  }

  toolOutput(e: ViewArg<"toolOutput">): void {
    const started = this.#started.get(e.callId);
    this.#started.delete(e.callId);
    const ms = e.ms ?? (started === undefined ? undefined : Date.now() - started);
    const took = ms === undefined ? "" : ` in ${elapsed(ms)}`;
    const line = `${e.parentCallId ? "  ↳ " : ""}tool: ${e.tool} ${e.state}${took} → ${compactJson(e.output, 200)}\n`;
    this.#order.after(() => this.#out.write(line));
  }

  approvalRequested(_e: ViewArg<"approvalRequested">): void {}

  approvalDecided(e: ViewArg<"approvalDecided">): void {
    const line = `approval: ${e.tool} ${e.approved ? "approved" : "denied"} by ${e.approver}\n`;
    this.#order.after(() => this.#out.write(line));
  }

  status(_status: DevStatus): void {}

  askApproval(question: string, signal: AbortSignal): Promise<boolean> {
    this.#out.write(`approval? ${question} [y/n]\n`);
    const answer = this.#router.ask(signal);
    this.#pump();
    return answer;
  }

  close(): void {}
}
