import { basename, relative } from "node:path";
import pc from "picocolors";
import { agentCommand } from "../install/where.ts";
import { scaffoldAgent } from "./scaffold.ts";
import { templates } from "./templates.ts";

/** Runs `agent init`; returns the exit code. ParleyErrors propagate to main, which prints them. */
export async function runInit(
  name: string,
  opts: { template: string; dir?: string; force?: boolean },
): Promise<number> {
  const dir = opts.dir ?? name;
  const files = await scaffoldAgent({ dir, name, template: opts.template, force: opts.force });
  const c = pc.createColors(Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const agent = agentCommand();
  const agentFile = files.find((f) => f.endsWith(".agent.yaml")) as string;
  const lines = [
    `${c.green("✓")} Created ${c.bold(name)} ${c.dim(`(${opts.template}: ${templates[opts.template]?.description})`)}`,
    ...files.map((f) => `  ${rel(f)}`),
    "",
    "Next:",
    `  ${c.cyan(`${agent} dev ${rel(agentFile)}`)}   ${c.dim("talk to it (offline unless OPENAI_API_KEY is set)")}`,
    `  ${c.cyan(`${agent} test ${rel(dir) || basename(dir)}`)}   ${c.dim("run its scenarios")}`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
  return 0;
}
