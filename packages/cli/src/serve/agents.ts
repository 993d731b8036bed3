import { type LoadedAgent, loadAgent } from "@parley/core";
import { type AgentWatcher, watchAgentFiles } from "../dev/watcher.ts";
import type { LogWriter } from "./log.ts";

/**
 * The agents `agent serve` answers with, by name. Files are reloaded when they change; a call takes the version
 * current when it starts and keeps it (a reload never changes a call in progress). A file that no longer loads
 * keeps its last good version and the error is logged.
 */
export class AgentCatalog {
  readonly #byName = new Map<string, LoadedAgent>();
  readonly #byFile = new Map<string, string>();
  #watcher: AgentWatcher | undefined;
  #order: string[] = [];

  private constructor(
    private readonly files: string[],
    private readonly log: LogWriter,
  ) {}

  /** Loads every file (all must load); with `watch`, follows their changes. */
  static async open(
    files: string[],
    options: { log: LogWriter; watch?: boolean },
  ): Promise<AgentCatalog> {
    const catalog = new AgentCatalog(files, options.log);
    for (const file of files) catalog.#add(file, await loadAgent(file));
    if (options.watch) {
      const watched = [...catalog.#byName.values()].flatMap((a) => a.files);
      catalog.#watcher = await watchAgentFiles(watched, (changed) => void catalog.reload(changed));
    }
    return catalog;
  }

  /** Agent names in file order (the first is the default unless the config names one). */
  get names(): readonly string[] {
    return this.#order;
  }

  get(name: string): LoadedAgent | undefined {
    return this.#byName.get(name);
  }

  /** Reloads the agents whose files (or files they depend on) changed. */
  async reload(changed: string[]): Promise<void> {
    for (const file of this.files) {
      const name = this.#byFile.get(file);
      const current = name ? this.#byName.get(name) : undefined;
      if (current && !current.files.some((f) => changed.includes(f))) continue;
      try {
        const next = await loadAgent(file);
        this.#add(file, next);
        this.#watcher?.setFiles([...this.#byName.values()].flatMap((a) => a.files));
        this.log({ level: "info", msg: "agent reloaded", agent: next.name, file });
      } catch (error) {
        this.log({
          level: "error",
          msg: "agent reload failed; the last good version stays",
          file,
          error: (error as Error).message,
        });
      }
    }
  }

  #add(file: string, agent: LoadedAgent): void {
    const previous = this.#byFile.get(file);
    if (previous && previous !== agent.name) {
      this.#byName.delete(previous);
      this.#order = this.#order.filter((n) => n !== previous);
    }
    this.#byFile.set(file, agent.name);
    this.#byName.set(agent.name, agent);
    if (!this.#order.includes(agent.name)) this.#order.push(agent.name);
  }

  async close(): Promise<void> {
    await this.#watcher?.close();
    await Promise.all([...this.#byName.values()].map((a) => a.close?.().catch(() => {})));
  }
}
