import { randomBytes } from "node:crypto";
import { createWriteStream, mkdirSync, openSync, type WriteStream, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Clock } from "../clock/index.ts";
import { compileSession } from "../compile/index.ts";
import type { LoadedAgent } from "../load/index.ts";
import { redact } from "../log/redact.ts";
import {
  type LOG_CHUNKS,
  STREAM_GATE,
  STREAM_LINES,
  STREAM_SKIPS,
  type StreamEvent,
  type StreamEventType,
  type StreamLineListener,
} from "../runtime/event-stream.ts";
import type { Session } from "../runtime/index.ts";
import { ChunkGate } from "./chunk-gate.ts";
import { DERIVED_EVENTS } from "./derive.ts";
import { SESSION_LOG_TYPE, SESSION_LOG_VERSION, type SessionLogHeader } from "./format.ts";
import { hashFiles } from "./hash.ts";

export interface SessionLogOptions {
  /** The folder (created if missing, mode 0700). */
  dir: string;
  agent: LoadedAgent;
  /** The session's variables (written redacted: a replay starts with the same ones). */
  variables?: Record<string, unknown>;
  /** Keep the raw audio too, as `<id>.user.audio` and `<id>.agent.audio` beside the log. */
  audio?: boolean;
  /** The session's clock, when it is not the system clock (events' `at` are read on it). */
  clock?: Clock;
  /**
   * Buffered bytes that trigger a write (default 128 KiB). A write costs the process about the same CPU for 32 KiB
   * as for 128 KiB (the thread pool's hand-off, the kernel's call): at a fast session's rate, fewer larger writes
   * halved the log's write cost. The buffer grows to it only as lines come faster than `flushMs` writes them.
   */
  flushBytes?: number;
  /**
   * Longest time an event waits in the buffer (default 1 s). Each timed write costs the process ~120 µs of CPU after
   * a quiet spell (the thread pool's hand-off, cold caches): at 200 ms that was 5 writes a second per session. Lines
   * still buffered when the process exits are written then (see SessionLogWriter).
   */
  flushMs?: number;
  /**
   * Streamed parts (audio, transcript and argument deltas, the client's input audio): `first` (default) writes each
   * part's first chunk and counts the rest in one `log.chunks` line when it ends; `all` writes every chunk.
   */
  chunks?: "first" | "all";
}

/** A log's first write buffer: what lines at the pace people speak need between two timed flushes. */
const FIRST_BUFFER = 16 * 1024;
/**
 * Writes one session's event stream to `<dir>/<id>.jsonl`: a header line (SessionLogHeader), then one redacted
 * StreamEvent per line. Writes never block the session: lines collect in a buffer handed to a file stream when it
 * reaches `flushBytes` or after `flushMs`, and on the session's `closed` event (or `close()`) the rest is written
 * and the file closed. A process that exits first (an uncaught exception, `process.exit`) writes what is buffered
 * as it exits; one killed by a signal loses at most the last buffer (`flushMs`). A write that fails (disk full) stops
 * the log, never the session.
 *
 * @example
 * const log = openSessionLog({ dir: ".parley/logs", agent });
 * const session = await startSession({ agent, onEvent: log.write });
 * log.attach(session); // closes itself with the session (and keeps its audio when asked)
 */
export class SessionLogWriter {
  readonly id: string;
  readonly file: string;
  readonly header: SessionLogHeader;
  /** The first write error, if any (the log stopped there). */
  error: Error | undefined;
  readonly #stream: WriteStream;
  readonly #audio: { user: WriteStream; agent: WriteStream } | undefined;
  readonly #flushBytes: number;
  readonly #flushMs: number;
  readonly #chunks: "first" | "all";
  /** Lines not yet handed to the file, encoded in place: no string joined, no buffer allocated per write. */
  #buf: Buffer;
  #used = 0;
  /** Buffers whose write has completed, ready to take lines again. */
  readonly #spare: Buffer[] = [];
  /** Writes handed to the file stream and not completed yet. */
  #inflight = 0;
  /** The log file's descriptor (the file stream's too), for the flush at exit. */
  #fd: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;
  #ended = false;

  constructor(options: SessionLogOptions) {
    const started = new Date();
    this.id = `${started.toISOString().replace(/[:.]/g, "-")}-${safeName(options.agent.name)}-${randomBytes(3).toString("hex")}`;
    this.file = join(options.dir, `${this.id}.jsonl`);
    this.#flushBytes = options.flushBytes ?? 128 * 1024;
    this.#buf = this.#take();
    this.#flushMs = options.flushMs ?? 1000;
    this.#chunks = options.chunks ?? "first";
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    this.#stream = this.#open(this.file, (fd) => {
      this.#fd = fd;
    });
    if (options.audio) {
      this.#audio = {
        user: this.#open(join(options.dir, `${this.id}.user.audio`)),
        agent: this.#open(join(options.dir, `${this.id}.agent.audio`)),
      };
    }
    const { agent } = options;
    const files = agent.files.length ? agent.files : [agent.file];
    this.header = {
      type: SESSION_LOG_TYPE,
      version: SESSION_LOG_VERSION,
      chunks: this.#chunks,
      id: this.id,
      agent: agent.name,
      file: agent.file,
      files,
      hash: hashFiles(files),
      model: agent.config.model,
      startedAt: started.toISOString(),
      clockAt: (options.clock ?? performance).now(),
      variables: redact(options.variables ?? {}),
      writer: { pid: process.pid, host: hostname() },
      ...(this.#audio
        ? {
            audio: {
              format: audioFormat(agent, options.variables),
              user: `${this.id}.user.audio`,
              agent: `${this.id}.agent.audio`,
            },
          }
        : {}),
    };
    this.#put(`${JSON.stringify(this.header)}\n`);
    atExit(this.#exitFlush);
  }

  /**
   * The stream listener: give it to `startSession({ onEvent })` so the handshake is logged too. The stream hands it
   * each event as its JSON line (STREAM_LINES), written from the frame text for protocol events; called with an
   * event object (any other use), it serialises it.
   */
  get write(): StreamLineListener {
    this.#write ??= Object.assign(
      // Called with objects, it leaves out the derived events too: the reader makes them again.
      (event: StreamEvent) => {
        if (!DERIVED_EVENTS.has(event.type)) this.#append(JSON.stringify(event), event.type);
      },
      {
        [STREAM_LINES]: (line: string, type: StreamEventType | typeof LOG_CHUNKS) =>
          this.#append(line, type),
        // Only the line path is gated: a caller serialising objects itself gets every event.
        ...(this.#chunks === "first" ? { [STREAM_GATE]: new ChunkGate() } : {}),
        // What one protocol event in the log says is not written (the reader derives it): when nothing else
        // listens, the session does not build it either.
        [STREAM_SKIPS]: DERIVED_EVENTS,
      },
    ) as StreamLineListener;
    return this.#write;
  }
  #write: StreamLineListener | undefined;

  #append(line: string, type: StreamEventType | typeof LOG_CHUNKS): void {
    if (this.#ended || this.error) return;
    this.#put(line);
    this.#buf[this.#used++] = 10; // room kept by #put
    if (type === "closed") {
      void this.close();
      return;
    }
    if (this.#used >= this.#flushBytes) this.#flush();
    else this.#timer ??= setTimeout(() => this.#settle(), this.#flushMs).unref();
  }

  /** Encodes `text` after what is buffered, leaving room for one more byte (a line's newline). */
  #put(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a line that might not fit goes in a larger buffer (up to the
    // largest), after a flush, or alone.
    const most = text.length * 3 + 1;
    if (this.#used + most > this.#buf.length) {
      // Lines coming faster than flushMs writes them grow the buffer; one line longer than the buffer (a
      // session.update's instructions) goes alone in a one-off instead, or one long prompt would keep it large.
      if (most < this.#buf.length && this.#used + most <= this.#maxBytes)
        this.#grow(this.#used + most);
      else {
        this.#flush();
        if (most > this.#buf.length) this.#buf = Buffer.allocUnsafeSlow(most);
      }
    }
    this.#used += this.#buf.write(text, this.#used);
  }

  /**
   * A larger buffer holding what is buffered: a session whose lines the timer writes out never needs more than the
   * first (most sessions, at the pace people speak), a burst grows it up to `#maxBytes`.
   */
  #grow(needed: number): void {
    let size = this.#size;
    while (size < needed) size *= 2;
    this.#size = Math.min(size, this.#maxBytes);
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.#size, needed));
    this.#buf.copy(bigger, 0, 0, this.#used);
    this.#buf = bigger;
    this.#spare.length = 0;
  }

  /** Follows the session: its raw audio when asked, and the close (which `write` sees in the stream too). */
  attach(session: Session): void {
    const audio = this.#audio;
    if (audio) {
      session.on("agent.audio", (e) => void (this.#ended || audio.agent.write(e.audio)));
      session.on("client.event", (e) => {
        if (this.#ended || e.type !== "input_audio_buffer.append") return;
        audio.user.write(Buffer.from(e.audio, "base64"));
      });
    }
    session.on("closed", () => void this.close());
  }

  /**
   * Writes what is buffered and closes the files; resolves once they are on disk. Safe to call again. Events emitted
   * in the same turn as the call (the stream's own `closed`, a last `idle`) still go in.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      this.#ended = true;
      this.#flush();
      openLogs.delete(this.#exitFlush);
      const streams = [this.#stream, ...(this.#audio ? [this.#audio.user, this.#audio.agent] : [])];
      await Promise.all(
        streams.map((s) => new Promise<void>((resolve) => (s.closed ? resolve() : s.end(resolve)))),
      );
    })();
    return this.#closing;
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#used || this.error) return;
    const full = this.#buf;
    const chunk = full.subarray(0, this.#used);
    this.#buf = this.#take();
    this.#used = 0;
    // The buffer is the file stream's until written, then takes lines again (a longer one-off is dropped).
    this.#inflight++;
    this.#stream.write(chunk, () => {
      this.#inflight--;
      if (full.length === this.#size && this.#spare.length < 2) this.#spare.push(full);
    });
  }

  /**
   * The process is exiting (`process.exit`, an uncaught exception, the loop run dry) with lines still buffered: they
   * are written at once, synchronously, unless an earlier write is still in the thread pool (it would then land after
   * them, or never: those lines are lost as before, at most one buffer). A signal that kills the process skips this.
   */
  readonly #exitFlush = (): void => {
    const fd = this.#fd;
    if (!this.#used || this.error || this.#inflight || fd === undefined) return;
    try {
      writeSync(fd, this.#buf, 0, this.#used);
      this.#used = 0;
    } catch {
      // Exiting: nothing left to tell.
    }
  };

  /**
   * The timer's flush: lines came slower than flushMs writes them, so a buffer a burst grew goes back to the first
   * size (spares included). A log lives as long as its call, and `agent serve` holds hundreds.
   */
  #settle(): void {
    if (this.#size > FIRST_BUFFER && this.#used < FIRST_BUFFER) {
      this.#size = FIRST_BUFFER;
      this.#spare.length = 0;
    }
    this.#flush();
  }

  /** The buffer's size now: FIRST_BUFFER, doubled by #grow as needed, back to it when lines slow down. */
  #size = FIRST_BUFFER;

  /** The largest buffer: the flush threshold and room for the line that crosses it. */
  get #maxBytes(): number {
    return Math.max(this.#flushBytes + 64 * 1024, 64 * 1024);
  }

  #take(): Buffer {
    // Not from Node's shared pool: the buffer outlives many writes and is reused.
    return this.#spare.pop() ?? Buffer.allocUnsafeSlow(this.#size);
  }

  #open(file: string, opened?: (fd: number) => void): WriteStream {
    // `wx`: a log is never appended to another session's file. Opened here, so that the descriptor is there for
    // the flush at exit from the first line on; a failure opens it again the stream's way, which reports it (below).
    let fd: number | undefined;
    try {
      fd = openSync(file, "wx", 0o600);
    } catch {
      fd = undefined;
    }
    if (fd !== undefined) opened?.(fd);
    const stream =
      fd === undefined
        ? createWriteStream(file, { flags: "wx", mode: 0o600 })
        : createWriteStream(file, { fd });
    stream.on("error", (error) => {
      this.error ??= error;
      this.#used = 0;
      openLogs.delete(this.#exitFlush);
    });
    return stream;
  }
}

/** The open logs' flushes at exit, behind one `exit` listener for the process (`agent serve` holds hundreds). */
const openLogs = new Set<() => void>();
let listening = false;

function atExit(flush: () => void): void {
  if (!listening) {
    listening = true;
    process.on("exit", () => {
      for (const f of openLogs) f();
    });
  }
  openLogs.add(flush);
}

/** Opens a session log (see SessionLogWriter). */
export function openSessionLog(options: SessionLogOptions): SessionLogWriter {
  return new SessionLogWriter(options);
}

/** File-name safe: agent names are user text. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, "_").slice(0, 40) || "agent";
}

/** The output audio format the session compiles to (both directions use it unless the agent says otherwise). */
function audioFormat(agent: LoadedAgent, variables: Record<string, unknown> | undefined): string {
  try {
    const audio = compileSession(agent, { variables: variables as never }).session.audio;
    return JSON.stringify({ input: audio?.input?.format, output: audio?.output?.format });
  } catch {
    return "unknown";
  }
}
