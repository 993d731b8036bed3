import type { LoadedAgent } from "../contracts/agent.ts";
import type { ModuleImporter } from "./import-module.ts";
import type { LiveTools } from "./live-tools.ts";
import { type LoadAgentOptions, loadWith } from "./load-agent.ts";
import { ModuleCache } from "./module-cache.ts";

export interface LoaderOptions extends LoadAgentOptions {}

/**
 * A loader owns what loading leaves behind: the imported handler modules and packs (reused until their files
 * change) and the agents whose packs hold connections (bridged MCP servers). Agents of one loader never share
 * caches or connections with another's; `close()` releases what this loader's agents hold.
 */
export interface Loader {
  /** Loads an agent file; `options` are merged over the loader's. See `loadAgent`. */
  load(file: string, options?: LoadAgentOptions): Promise<LoadedAgent>;
  /** Agents of this loader that still hold something to close. */
  readonly openAgents: number;
  /** Releases every agent of this loader at once (their MCP connections and child processes). */
  close(): Promise<void>;
}

// Loaders with agents to close, for closeAllAgents(): module state, not a process-wide registry.
const loaders = new Set<Loader>();

/**
 * Makes a loader: its own caches, its own agents to close. `agent serve` keeps one per set of agents it reloads;
 * `loadAgent` is this over a default loader.
 *
 * @example
 * const loader = createLoader({ env: { API_TOKEN: "…" } });
 * const agent = await loader.load("agents/desk.agent.yaml");
 * await loader.close(); // its agents' MCP bridges are released; other loaders' are not
 */
export function createLoader(options: LoaderOptions = {}): Loader {
  const caches = new Map<ModuleImporter, ModuleCache>();
  const open = new Set<LiveTools>();
  const state = {
    modules(importer: ModuleImporter): ModuleCache {
      let cache = caches.get(importer);
      if (!cache) {
        cache = new ModuleCache(importer);
        caches.set(importer, cache);
      }
      return cache;
    },
    open,
  };
  const loader: Loader = {
    load: (file, overrides = {}) => {
      loaders.add(loader);
      return loadWith(file, { ...options, ...overrides }, state);
    },
    get openAgents() {
      return open.size;
    },
    async close() {
      loaders.delete(loader);
      const all = [...open];
      open.clear();
      await Promise.all(all.map((live) => live.close(true).catch(() => {})));
    },
  };
  return loader;
}

let shared: Loader | undefined;

/** The loader behind `loadAgent`. */
export function defaultLoader(): Loader {
  shared ??= createLoader();
  return shared;
}

/**
 * Closes every loaded agent whose packs hold connections, of every loader (bridged MCP servers' child processes
 * would keep the process alive). Programs call it before exiting; the `agent` CLI does after every command.
 *
 * @example
 * process.on("beforeExit", () => void closeAllAgents());
 */
export async function closeAllAgents(): Promise<void> {
  await Promise.all([...loaders].map((loader) => loader.close()));
}
