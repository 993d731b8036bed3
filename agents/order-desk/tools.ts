import { defineTool, z } from "@parley/core";

const MENU = { sourdough: 7.5, croissant: 3.25, "cardamom bun": 3.75, baguette: 3.5 } as const;
type Item = keyof typeof MENU;
const ITEMS = Object.keys(MENU) as [Item, ...Item[]];

const orderLine = z.object({ item: z.enum(ITEMS), quantity: z.number().int().min(1).max(48) });

/** Slots already taken today (HH:MM, 15-minute slots from 07:00 to 18:00). */
const taken = new Set(["08:00", "08:15", "12:30"]);
const orders: {
  reference: string;
  lines: z.infer<typeof orderLine>[];
  pickup: string;
  name: string;
}[] = [];

export const priceOrder = defineTool({
  name: "price_order",
  description: "The total price in dollars of a list of items from the menu.",
  parameters: z.object({ lines: z.array(orderLine).min(1) }),
  examples: [
    {
      say: "two croissants and a sourdough",
      args: {
        lines: [
          { item: "croissant", quantity: 2 },
          { item: "sourdough", quantity: 1 },
        ],
      },
    },
  ],
  run({ lines }) {
    const total = lines.reduce((sum, line) => sum + MENU[line.item] * line.quantity, 0);
    return { total_usd: Math.round(total * 100) / 100 };
  },
});

export const checkPickupSlot = defineTool({
  name: "check_pickup_slot",
  description: "Whether a pick-up time today is free, and the next free slot if not.",
  parameters: z.object({
    time: z
      .string()
      .regex(/^\d{2}:\d{2}$/)
      .describe("HH:MM, 24-hour"),
  }),
  examples: [{ say: "can I pick it up at eight", args: { time: "08:00" } }],
  run({ time }) {
    const [h = 0, m = 0] = time.split(":").map(Number);
    for (let minutes = h * 60 + Math.ceil(m / 15) * 15; minutes <= 18 * 60; minutes += 15) {
      const slot = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
      if (!taken.has(slot)) return { requested: time, free: slot === time, slot };
    }
    return { requested: time, free: false, slot: null };
  },
});

export const placeOrder = defineTool({
  name: "place_order",
  description: "Place a confirmed pick-up order.",
  parameters: z.object({
    lines: z.array(orderLine).min(1),
    pickup: z.string().regex(/^\d{2}:\d{2}$/),
    name: z.string().min(1).describe("Name for the order"),
  }),
  duplicate: "reject",
  run({ lines, pickup, name }, ctx) {
    taken.add(pickup);
    const order = { reference: `BB-${String(orders.length + 101)}`, lines, pickup, name };
    orders.push(order);
    ctx.log.info("order placed", { reference: order.reference });
    return order;
  },
});
