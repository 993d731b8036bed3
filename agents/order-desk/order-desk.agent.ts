// A bakery's phone order desk, written in TypeScript: the config is typed by defineAgent and the tools carry
// typed arguments (zod), so a renamed field is a compile error rather than a surprise on a call.
import { defineAgent } from "@parley/core";
import { checkPickupSlot, placeOrder, priceOrder } from "./tools.ts";

export default defineAgent({
  name: "order-desk",
  description: "Takes pick-up orders for Bluebird Bakery by phone.",
  voice: "coral",
  persona: {
    role: "the order desk at {{shop}}",
    tone: "cheerful and quick",
    language: "English",
    style: [
      "Repeat the full order and the total before placing it.",
      "Offer today's special once.",
    ],
  },
  variables: { shop: "Bluebird Bakery", special: "cardamom buns", timeZone: "America/Chicago" },
  greeting: "{{shop}}, order desk! What can I get ready for you?",
  instructions: [
    "You take pick-up orders for {{shop}}. Today's special is {{special}}.",
    "- Price the order with price_order before telling the customer a total.",
    "- Check the pick-up time with check_pickup_slot; suggest the next free slot if it is taken.",
    "- Place the order with place_order only after the customer has said yes to the items, time and total.",
  ].join("\n"),
  output: "audio",
  audio: {
    input: {
      turnDetection: { type: "semantic_vad", eagerness: "high" },
      transcription: {
        model: "gpt-4o-mini-transcribe",
        prompt: "cardamom buns, sourdough, croissant",
      },
    },
  },
  tools: [
    priceOrder,
    checkPickupSlot,
    placeOrder,
    { use: "@parley/tools/clock", only: ["current_time"] },
  ],
  filler: { after: "1.2s", max: 1, lines: ["One second, I'm writing that down."] },
  approval: { default: "never" },
  limits: { maxOutputTokens: 600, maxSessionLength: "10m" },
  metadata: { store: "bluebird-main-st" },
});
