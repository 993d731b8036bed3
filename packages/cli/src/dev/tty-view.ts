import * as readline from "node:readline";
import pc from "picocolors";
import { compactJson, elapsed, statusText, truncate, visibleLength, wrap } from "./format.ts";
import { type DevStatus, type DevView, LineRouter, SpokenOrder, type ViewArg } from "./view.ts";

type Colors = ReturnType<typeof pc.createColors>;

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const WHO = 7;

interface RunningTool {
  tool: string;
  args: string;
  rawArgs: unknown;
  startedAt: number;
  progress?: string;
  waitingApproval?: boolean;
}

/**
 * The interactive screen: finished lines scroll up; below them a live region (the agent's answer as it streams,
 * running tools with a spinner and elapsed time, the status line) is redrawn in place above the input prompt.
 * readline owns the prompt, so typing is never disturbed by output.
 */
export class TtyView implements DevView {
  readonly #in: NodeJS.ReadStream;
  readonly #out: NodeJS.WriteStream;
  readonly #c: Colors;
  readonly #router = new LineRouter();
  #rl: readline.Interface | undefined;
  #liveHeight = 0;
  /** Rows the submitted input line occupies above the cursor right after Enter. */
  #submittedRows = 0;
  readonly #streaming = new Map<string, { kind: string; text: string }>();
  readonly #tools = new Map<string, RunningTool>();
  /** Agent items the user cut off (their transcript is marked when it arrives). */
  readonly #cut = new Set<string>();
  readonly #order = new SpokenOrder();
  #status: DevStatus | undefined;
  #spinner: NodeJS.Timeout | undefined;
  #frame = 0;
  #closed = false;
  readonly #prompt: string;

  constructor(input: NodeJS.ReadStream, output: NodeJS.WriteStream, color = !process.env.NO_COLOR) {
    this.#in = input;
    this.#out = output;
    this.#c = pc.createColors(color);
    this.#prompt = `${this.#c.cyan("›")} `;
    this.#router.onBadAnswer = () => this.#paint([this.#c.yellow("  please answer y or n")]);
  }

  start(onLine: (line: string) => void, onEnd: () => void): void {
    const rl = readline.createInterface({
      input: this.#in,
      output: this.#out,
      terminal: true,
      prompt: this.#prompt,
    });
    this.#rl = rl;
    this.#router.onLine = onLine;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.#router.cancel();
      onEnd();
    };
    rl.on("line", (line) => {
      const cols = this.#out.columns || 80;
      this.#submittedRows = Math.max(
        1,
        Math.ceil((visibleLength(rl.getPrompt()) + visibleLength(line)) / cols),
      );
      this.#router.line(line);
      this.#paint([]);
    });
    rl.on("SIGINT", () => {
      // Ctrl-C at an approval prompt says no to that call; a second one (on the empty line) ends the session.
      if (this.#router.deny()) {
        this.notice("denied with Ctrl-C · Ctrl-C again to quit");
        return;
      }
      // Ctrl-C with text typed clears the line (as shells do); on an empty line it ends the session.
      if (rl.line.length > 0) {
        (rl as unknown as { line: string }).line = "";
        this.#paint([]);
        return;
      }
      end();
    });
    rl.on("close", end);
    this.#paint([]);
  }

  ready(): void {}

  banner(lines: string[]): void {
    this.#paint(lines);
  }

  notice(text: string): void {
    this.#paint([`${this.#c.dim("·")} ${this.#c.dim(text)}`]);
  }

  problem(text: string): void {
    this.#paint(text.split("\n").map((l) => this.#c.red(l)));
  }

  user(text: string): void {
    this.#paint(this.#said(this.#c.cyan("you"), text));
  }

  agentDelta(e: ViewArg<"agentDelta">): void {
    const s = this.#streaming.get(e.responseId) ?? { kind: e.kind, text: "" };
    s.text += e.delta;
    this.#streaming.set(e.responseId, s);
    this.#order.speaking(e.responseId, e.kind);
    this.#paint([]);
  }

  agentDone(e: ViewArg<"agentDone">): void {
    this.#streaming.delete(e.responseId);
    const cut = this.#cut.delete(e.itemId) ? ` ${this.#c.dim("— cut off")}` : "";
    this.#paint(
      e.transcript.trim()
        ? this.#said(this.#agentLabel(e.kind), `${e.transcript.trim()}${cut}`)
        : [],
    );
    this.#order.finished(e.responseId);
  }

  interrupted(e: ViewArg<"interrupted">): void {
    if (e.itemId) this.#cut.add(e.itemId);
  }

  responseEnded(e: ViewArg<"responseEnded">): void {
    const s = this.#streaming.get(e.responseId);
    this.#streaming.delete(e.responseId);
    const text = s?.text.trim();
    if (s && text)
      this.#paint(this.#said(this.#agentLabel(s.kind), `${text}… ${this.#c.dim(`(${e.status})`)}`));
    this.#order.finished(e.responseId);
  }

  toolCall(e: ViewArg<"toolCall">): void {
    this.#tools.set(e.callId, {
      // A delegation's own calls are drawn under it.
      tool: e.parentCallId ? `↳ ${e.tool}` : e.tool,
      rawArgs: e.arguments,
      args: compactJson(e.arguments, Math.max(12, Math.floor((this.#cols() - WHO - 30) * 0.5))),
      startedAt: Date.now(),
    });
    this.#tick();
  }

  toolProgress(e: ViewArg<"toolProgress">): void {
    const t = this.#tools.get(e.callId);
    if (t) t.progress = e.message;
    this.#paint([]);
  }

  toolOutput(e: ViewArg<"toolOutput">): void {
    const t = this.#tools.get(e.callId);
    this.#tools.delete(e.callId);
    const ok = e.state === "completed";
    const mark = ok ? this.#c.green("✓") : this.#c.red("✗");
    const ms = e.ms ?? (t ? Date.now() - t.startedAt : undefined);
    const took = ms === undefined ? "" : elapsed(ms);
    // One row whatever the width: arguments and output are cut (never wrapped mid-token by the terminal).
    const room =
      this.#cols() - WHO - 8 - e.tool.length - took.length - (ok ? 2 : e.state.length + 2);
    const argsRoom = Math.max(8, Math.floor(room * 0.4));
    const args = t ? compactJson(t.rawArgs, argsRoom) : "";
    const output = compactJson(e.output, Math.max(8, room - args.length));
    const outcome = ok ? this.#c.dim(`→ ${output}`) : this.#c.red(`${e.state}: ${output}`);
    const line = truncate(
      `${" ".repeat(WHO + 1)}${mark} ${this.#c.magenta(e.parentCallId ? `↳ ${e.tool}` : e.tool)} ${this.#c.dim(args)} ${this.#c.dim(took)} ${outcome}`,
      this.#cols() - 1,
    );
    this.#order.after(() => this.#paint([line]));
  }

  approvalRequested(e: ViewArg<"approvalRequested">): void {
    const t = this.#tools.get(e.callId);
    if (t) t.waitingApproval = true;
    this.#paint([]);
  }

  approvalDecided(e: ViewArg<"approvalDecided">): void {
    const t = this.#tools.get(e.callId);
    if (t) t.waitingApproval = false;
    const word = e.approved ? this.#c.green("approved") : this.#c.red("denied");
    const why = e.reason ? this.#c.dim(` (${e.reason})`) : "";
    const line = `${" ".repeat(WHO + 1)}${this.#c.yellow("?")} ${this.#c.magenta(e.tool)} ${word} by ${e.approver}${why}`;
    this.#order.after(() => this.#paint([truncate(line, this.#cols() - 1)]));
  }

  status(status: DevStatus): void {
    this.#status = status;
    this.#paint([]);
  }

  async askApproval(question: string, signal: AbortSignal): Promise<boolean> {
    const rl = this.#rl;
    // The question is a line of the transcript (it may be long and wrap); the prompt itself stays short.
    rl?.setPrompt(`${this.#c.yellow("?")} allow? ${this.#c.bold("[y/n]")} `);
    this.#paint(this.#said(this.#c.yellow("approve"), question));
    try {
      return await this.#router.ask(signal);
    } finally {
      rl?.setPrompt(this.#prompt);
      this.#paint([]);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#paint([]);
    this.#closed = true;
    if (this.#spinner) clearInterval(this.#spinner);
    // Leave the transcript on screen; drop the prompt and the live region's spinner lines.
    readline.cursorTo(this.#out, 0);
    readline.clearLine(this.#out, 0);
    this.#rl?.close();
    // readline leaves the terminal's stdin referenced when it closed itself (Ctrl-D): let the process end.
    if (this.#in.isTTY) this.#in.setRawMode(false);
    this.#in.pause();
    this.#in.unref?.();
  }

  #cols(): number {
    return this.#out.columns || 80;
  }

  #said(who: string, text: string): string[] {
    const cols = this.#cols();
    const lines = wrap(text, cols - WHO - 1, WHO + 1);
    return lines.map((l, i) => (i === 0 ? `${padTo(who, WHO)} ${l}` : l));
  }

  #agentLabel(kind: string): string {
    return kind === "filler" ? this.#c.dim(this.#c.italic("filler")) : this.#c.green("agent");
  }

  #tick(): void {
    if (this.#tools.size > 0 && !this.#spinner) {
      this.#spinner = setInterval(() => {
        this.#frame = (this.#frame + 1) % SPINNER.length;
        if (this.#tools.size === 0 && this.#spinner) {
          clearInterval(this.#spinner);
          this.#spinner = undefined;
        }
        this.#paint([]);
      }, 100);
      this.#spinner.unref();
    }
    this.#paint([]);
  }

  #liveLines(): string[] {
    const c = this.#c;
    const cols = this.#out.columns || 80;
    const lines: string[] = [];
    for (const s of this.#streaming.values()) {
      if (s.text.trim()) lines.push(...this.#said(this.#agentLabel(s.kind), `${s.text}…`));
    }
    for (const t of this.#tools.values()) {
      const spin = t.waitingApproval ? c.yellow("?") : c.yellow(SPINNER[this.#frame] as string);
      const note = t.waitingApproval
        ? c.yellow("waiting for approval")
        : t.progress
          ? c.dim(t.progress)
          : "";
      lines.push(
        `${" ".repeat(WHO + 1)}${spin} ${c.magenta(t.tool)} ${c.dim(t.args)} ${elapsed(Date.now() - t.startedAt)} ${note}`,
      );
    }
    if (this.#status) lines.push(this.#statusLine(this.#status));
    // The live region is redrawn by moving the cursor up over it, which cannot go past the top of the screen:
    // keep it shorter than the terminal (the start of a very long answer scrolls out until it is committed).
    const room = Math.max(3, (this.#out.rows || 24) - 3);
    return lines.slice(-room).map((l) => truncate(l, cols - 1));
  }

  #statusLine(s: DevStatus): string {
    const c = this.#c;
    const full = `── ${statusText(s)} · /help`;
    // Narrow terminal: the figures without the labels, rather than cut off at the end.
    return c.dim(visibleLength(full) < this.#cols() ? full : `── ${statusText(s, true)}`);
  }

  /** Erases the live region, writes `commit` lines for good, redraws the live region and the prompt. */
  #paint(commit: string[]): void {
    if (this.#closed) return;
    const out = this.#out;
    // From the cursor up to the live region's first row: the rows of a wrapped prompt line, then the live lines.
    const promptRows = this.#submittedRows || (this.#rl ? this.#rl.getCursorPos().rows : 0);
    const up = this.#liveHeight + promptRows;
    readline.cursorTo(out, 0);
    if (up > 0) readline.moveCursor(out, 0, -up);
    readline.clearScreenDown(out);
    this.#submittedRows = 0;
    let text = "";
    for (const l of commit) text += `${l}\n`;
    const live = this.#liveLines();
    for (const l of live) text += `${l}\n`;
    out.write(text);
    this.#liveHeight = live.length;
    this.#rl?.prompt(true);
  }
}

function padTo(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - visibleLength(text)));
}
