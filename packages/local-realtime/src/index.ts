// The public door of @parley/local-realtime.
export {};
