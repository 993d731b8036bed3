// @parley/core/testing: helpers for people testing agents and tools (virtual clock, recorders).
export {};
