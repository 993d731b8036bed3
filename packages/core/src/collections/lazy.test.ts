import { describe, expect, it } from "vitest";
import { LazyMap, LazySet } from "./lazy.ts";

describe("LazyMap", () => {
  it("answers as an empty Map before its first set, then as the Map it made", () => {
    const lazy = new LazyMap<string, number>();
    expect(lazy.size).toBe(0);
    expect(lazy.get("a")).toBeUndefined();
    expect(lazy.has("a")).toBe(false);
    expect(lazy.delete("a")).toBe(false);
    expect([...lazy]).toEqual([]);
    expect([...lazy.keys(), ...lazy.values()]).toEqual([]);
    lazy.clear();
    expect(lazy.set("a", 1).set("b", 2)).toBe(lazy);
    expect(lazy.get("a")).toBe(1);
    expect(lazy.size).toBe(2);
    expect([...lazy.entries()]).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    const seen: string[] = [];
    lazy.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toEqual(["a=1", "b=2"]);
    expect(lazy.delete("a")).toBe(true);
    expect([...lazy.keys()]).toEqual(["b"]);
    lazy.clear();
    expect(lazy.size).toBe(0);
  });
});

describe("LazySet", () => {
  it("answers as an empty Set before its first add, then as the Set it made, in insertion order", () => {
    const lazy = new LazySet<string>();
    expect(lazy.size).toBe(0);
    expect(lazy.has("x")).toBe(false);
    expect(lazy.delete("x")).toBe(false);
    expect([...lazy]).toEqual([]);
    expect(lazy.add("x").add("y").add("x")).toBe(lazy);
    expect(lazy.size).toBe(2);
    expect([...lazy.values()]).toEqual(["x", "y"]);
    const seen: string[] = [];
    lazy.forEach((v) => seen.push(v));
    expect(seen).toEqual(["x", "y"]);
    expect(lazy.delete("x")).toBe(true);
    expect([...lazy]).toEqual(["y"]);
  });
});
