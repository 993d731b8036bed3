// Metric attribute sets are shared by every session of an agent: a new session builds none, and RecordBatch (which
// knows a series by its attribute object) batches its records from the first, as it does the earlier sessions'.
import { describe, expect, it } from "vitest";
import { LabelSets, Parley, sessionLabels } from "./attributes.ts";

describe("session labels and the sets made over them", () => {
  it("are one frozen object per agent, shared by its sessions", () => {
    const first = sessionLabels("concierge");
    expect(sessionLabels("concierge")).toBe(first);
    expect(first).toEqual({ [Parley.agent]: "concierge" });
    expect(Object.isFrozen(first)).toBe(true);
    expect(sessionLabels("vault")).not.toBe(first);
    expect(sessionLabels(undefined)).toEqual({});
  });

  it("give two sessions of an agent the same set, and another agent's sessions their own", () => {
    const extra = () => ({ "parley.tool.name": "lookup" });
    const sessionA = new LabelSets(() => sessionLabels("concierge"));
    const sessionB = new LabelSets(() => sessionLabels("concierge"));
    const other = new LabelSets(() => sessionLabels("vault"));
    const set = sessionA.get("call\0lookup", extra);
    expect(sessionB.get("call\0lookup", extra)).toBe(set);
    expect(set).toEqual({ [Parley.agent]: "concierge", "parley.tool.name": "lookup" });
    expect(other.get("call\0lookup", extra)).toEqual({
      [Parley.agent]: "vault",
      "parley.tool.name": "lookup",
    });
  });
});
