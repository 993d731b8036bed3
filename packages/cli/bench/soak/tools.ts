// Tool handler of the soak bench's agents: instant, so the bench measures the runtime, not the tool.
export async function lookup(args: { reference?: string }) {
  return { reference: args.reference ?? "none", status: "confirmed" };
}
