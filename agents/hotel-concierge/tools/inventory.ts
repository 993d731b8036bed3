/** A tiny in-memory hotel: room types, nightly prices and bookings. Stands in for a property-management system. */
export const ROOM_TYPES = ["single", "double", "suite"] as const;
export type RoomType = (typeof ROOM_TYPES)[number];

export const NIGHTLY_EUR: Record<RoomType, number> = { single: 95, double: 140, suite: 260 };
const CAPACITY: Record<RoomType, number> = { single: 10, double: 24, suite: 6 };

export interface Booking {
  reference: string;
  roomType: RoomType;
  checkIn: string;
  nights: number;
  guestName: string;
  totalEur: number;
}

const bookings: Booking[] = [];

/** Nights of [checkIn, checkIn + nights) as YYYY-MM-DD strings. */
function nightsOf(checkIn: string, nights: number): string[] {
  const start = Date.parse(`${checkIn}T00:00:00Z`);
  return Array.from({ length: nights }, (_, i) =>
    new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Rooms of a type still free on every night of a stay. */
export function freeRooms(roomType: RoomType, checkIn: string, nights: number): number {
  const wanted = new Set(nightsOf(checkIn, nights));
  const taken = bookings.filter(
    (b) => b.roomType === roomType && nightsOf(b.checkIn, b.nights).some((n) => wanted.has(n)),
  ).length;
  return CAPACITY[roomType] - taken;
}

export function addBooking(booking: Omit<Booking, "reference">): Booking {
  const saved = { ...booking, reference: `LRC-${String(1000 + bookings.length + 1)}` };
  bookings.push(saved);
  return saved;
}

/** Waits like a slow back-office system would, and stops at once when the call is cancelled. */
export function backOfficeDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
