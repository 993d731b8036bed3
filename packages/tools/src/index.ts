// The public door of @parley/tools.
export {};
