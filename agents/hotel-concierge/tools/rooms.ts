import { defineTool, type ToolContext, z } from "@parley/core";
import {
  addBooking,
  backOfficeDelay,
  freeRooms,
  NIGHTLY_EUR,
  ROOM_TYPES,
  type RoomType,
} from "./inventory.ts";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD");

/**
 * A full tool in code: the agent file only points at it (`handler: ./tools/rooms.ts#checkAvailability`) and adds
 * its timeout and filler lines. The back office is slow, which is what the filler lines are for.
 */
export const checkAvailability = defineTool({
  name: "check_availability",
  description: "Which room types are free for a stay, with the nightly and total price in euros.",
  parameters: z.object({
    check_in: isoDate.describe("Arrival date, YYYY-MM-DD"),
    nights: z.number().int().min(1).max(30).describe("Number of nights"),
    guests: z.number().int().min(1).max(4).default(1).describe("How many people"),
  }),
  examples: [
    {
      say: "Do you have anything for two nights from the 12th of March?",
      args: { check_in: "2027-03-12", nights: 2 },
    },
    {
      say: "A room for four people next Friday, one night",
      args: { check_in: "2027-03-19", nights: 1, guests: 4 },
    },
  ],
  async run({ check_in, nights, guests }, ctx) {
    ctx.progress("Looking at the bookings for those dates");
    await backOfficeDelay(1200, ctx.signal);
    const fits: RoomType[] =
      guests > 2 ? ["suite"] : guests === 2 ? ["double", "suite"] : [...ROOM_TYPES];
    return {
      check_in,
      nights,
      rooms: fits
        .map((type) => ({
          type,
          free: freeRooms(type, check_in, nights),
          nightly_eur: NIGHTLY_EUR[type],
          total_eur: NIGHTLY_EUR[type] * nights,
        }))
        .filter((r) => r.free > 0),
    };
  },
});

interface BookRoomArgs {
  room_type: RoomType;
  check_in: string;
  nights: number;
  guest_name: string;
}

/**
 * A plain function: name, description and JSON Schema parameters live in the agent file, next to the approval
 * rule reviewers care about.
 */
export async function bookRoom(args: BookRoomArgs, ctx: ToolContext): Promise<unknown> {
  if (freeRooms(args.room_type, args.check_in, args.nights) <= 0) {
    return { booked: false, reason: `no ${args.room_type} room is free for those nights` };
  }
  await backOfficeDelay(400, ctx.signal);
  const booking = addBooking({
    roomType: args.room_type,
    checkIn: args.check_in,
    nights: args.nights,
    guestName: args.guest_name,
    totalEur: NIGHTLY_EUR[args.room_type] * args.nights,
  });
  ctx.log.info("booked", { reference: booking.reference });
  return { booked: true, ...booking };
}
