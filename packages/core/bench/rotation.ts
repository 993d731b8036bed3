// The per-event benches' way of comparing modes on one live session (telemetry, session log): modes take turns in
// blocks of rounds, each attached for its block and removed after it, and the figure of a mode is its CPU over all
// its counted rounds. Taking turns block by block, every mode sees the same moments of a shared machine (whose speed
// moved by a third within minutes on 2026-12-03): a figure per mode from its own stretch of the run, or a median of
// round times that lands on either side of such a change, gave the same code 7 to 51 %.

import { cpuMs, figure } from "../../../bench/verdict.ts";
import type { Session } from "../src/runtime/session.ts";

/**
 * A mode attached to the session: the function removes it; `settle` hands over what the mode holds for later
 * (telemetry's histogram records, batched across sessions until 64 are held or a collection comes: none comes in
 * these rounds). The rotation settles a block's uncounted rounds untimed and its counted ones timed, in the block,
 * so each mode is charged for exactly the work its counted rounds made (detaching would otherwise hand the last of it
 * over outside the timed rounds).
 */
export type Mode = (s: Session) => (() => void) & { settle?: () => void };

/** Rounds per block, and the first of them not counted (garbage a mode leaves is collected in its own rounds). */
export const BLOCK = 10;
export const SKIP = 2;
/**
 * Blocks of each mode not counted before the first counted one: the first tenth or so of a cold run cost 20–40 % more
 * per event than the rest (V8 still compiling the ws path and the mode's own code).
 */
export const WARMUP_CYCLES = 20;

export interface RotationResult {
  /** CPU per frame of each mode over all its counted rounds, µs. */
  perFrame: number[];
  /** The same per consecutive part of the run (the same cycles for every mode), µs. */
  parts: number[][];
}

/**
 * CPU per frame of each mode over `rounds` counted rounds, the modes taking turns on one session in blocks of BLOCK
 * rounds (who goes first rotates; attaching and removing a mode is outside the timed rounds; the first SKIP rounds of
 * a block are not counted), after WARMUP_CYCLES uncounted blocks of each; also split into `parts` consecutive parts of
 * the run, to show how much the figure moves within it. `round` runs one round and returns its CPU (ms);
 * `framesPerRound` turns a round's CPU into a frame's.
 */
export async function rotation(
  session: Session,
  round: () => Promise<number>,
  modes: Mode[],
  rounds: number,
  framesPerRound: number,
  wantedParts = 1,
): Promise<RotationResult> {
  const perCycle = BLOCK - SKIP;
  const cycles = Math.ceil(rounds / perCycle);
  const parts = Math.min(wantedParts, cycles);
  const cpu = modes.map(() => 0);
  const partCpu = modes.map(() => Array.from({ length: parts }, () => 0));
  // Counted rounds per part, each mode's (the cycles of a part are the same for every mode).
  const partRounds = Array.from({ length: parts }, () => 0);
  for (let cycle = -WARMUP_CYCLES; cycle < cycles; cycle++) {
    if (cycle >= 0) {
      const p = Math.floor((cycle * parts) / cycles);
      partRounds[p] = (partRounds[p] as number) + perCycle;
    }
    for (let k = 0; k < modes.length; k++) {
      const m = (((cycle + k) % modes.length) + modes.length) % modes.length;
      const detach = (modes[m] as Mode)(session);
      const count = (ms: number) => {
        cpu[m] = (cpu[m] as number) + ms;
        const part = partCpu[m] as number[];
        const p = Math.floor((cycle * parts) / cycles);
        part[p] = (part[p] as number) + ms;
      };
      for (let r = 0; r < BLOCK; r++) {
        if (r === SKIP) detach.settle?.();
        const ms = await round();
        if (cycle >= 0 && r >= SKIP) count(ms);
      }
      const t0 = cpuMs();
      detach.settle?.();
      if (cycle >= 0) count(cpuMs() - t0);
      detach();
    }
  }
  const per = (ms: number, n: number) => (ms * 1000) / (n * framesPerRound);
  return {
    perFrame: cpu.map((ms) => per(ms, cycles * perCycle)),
    parts: partCpu.map((byPart) => byPart.map((ms, p) => per(ms, partRounds[p] as number))),
  };
}

/** The parts a verdict's run is split into, to show how far its ratio moves within the run. */
export const PARTS = 10;

/**
 * Prints the lowest and highest ratio (%, the second mode against the first) among the parts of a pair's run:
 * `<name>, lowest tenth of the run` and `…highest…`.
 */
export function partSpread(name: string, pair: RotationResult): void {
  const [first, second] = pair.parts as [number[], number[]];
  const ratios = second.map((on, p) => ((on - (first[p] as number)) / (first[p] as number)) * 100);
  figure(`${name}, lowest tenth of the run`, Math.min(...ratios), "%");
  figure(`${name}, highest tenth of the run`, Math.max(...ratios), "%");
}
