import { defineTool, type ToolContext, z } from "@parley/core";

interface Invoice {
  id: string;
  email: string;
  issued: string;
  lines: { label: string; gbp: number }[];
}

/** Sample invoices standing in for the billing system. */
const INVOICES: Invoice[] = [
  {
    id: "INV-2041",
    email: "ada@example.com",
    issued: "2027-02-01",
    lines: [
      { label: "Fibre 500, February", gbp: 38 },
      { label: "Router rental", gbp: 4 },
      { label: "Fibre 500, February (duplicate)", gbp: 38 },
    ],
  },
];

export const lookupInvoice = defineTool({
  name: "lookup_invoice",
  description:
    "Find an invoice by its number, or the latest invoice of an account email, with its lines and total.",
  parameters: z.object({
    invoice_id: z.string().optional().describe("Invoice number, like INV-2041"),
    email: z.email().optional().describe("Account email, for the latest invoice"),
  }),
  timeout: "8s",
  examples: [
    {
      say: "Why is my bill so high this month? It's invoice 2041",
      args: { invoice_id: "INV-2041" },
    },
  ],
  run({ invoice_id, email }) {
    const found = INVOICES.find((i) => (invoice_id ? i.id === invoice_id : i.email === email));
    if (!found) return { found: false };
    return { found: true, ...found, total_gbp: found.lines.reduce((sum, l) => sum + l.gbp, 0) };
  },
});

/** A plain function: the agent file declares its parameters and its approval rule. */
export function issueRefund(
  args: { invoice_id: string; amount_gbp: number; reason: string },
  ctx: ToolContext,
) {
  const invoice = INVOICES.find((i) => i.id === args.invoice_id);
  if (!invoice) return { refunded: false, reason: `no invoice ${args.invoice_id}` };
  ctx.log.info("refund", { invoice: args.invoice_id, amount: args.amount_gbp });
  return {
    refunded: true,
    invoice_id: args.invoice_id,
    amount_gbp: args.amount_gbp,
    reference: `RF-${args.invoice_id.slice(4)}-1`,
  };
}
