import { describe, expect, it } from "vitest";
import { isTenureError } from "../errors";
import { reconcileSignals } from "./reconcile";
import { canTransitionSignal, transitionSignal } from "./transition";
import type { DetectedSignal, SignalStatus, StoredSignal } from "./types";

const detected = (dedupKey: string): DetectedSignal => ({
  type: "no_login",
  kind: "risk",
  severity: "medium",
  title: "No logins",
  summary: "Nobody has logged in for 20 days (threshold 14 days).",
  evidence: { daysSinceLastLogin: 20 },
  dedupKey,
});

const stored = (
  id: string,
  dedupKey: string,
  status: SignalStatus,
  resolvedAt: string | null = null,
): StoredSignal => ({
  id,
  dedupKey,
  status,
  openedAt: "2024-05-01",
  resolvedAt,
});

describe("reconcileSignals", () => {
  it("should create a signal when nothing is stored for its key", () => {
    const r = reconcileSignals([], [detected("k1")], "2024-07-01");
    expect(r.create.map((d) => d.dedupKey)).toEqual(["k1"]);
    expect(r.keep).toEqual([]);
  });

  it("should keep an open or acknowledged signal whose condition still holds instead of raising it twice", () => {
    const r = reconcileSignals(
      [stored("s1", "k1", "open"), stored("s2", "k2", "acknowledged")],
      [detected("k1"), detected("k2"), detected("k1")],
      "2024-07-01",
    );
    expect(r.create).toEqual([]);
    expect(r.keep).toEqual(["s1", "s2"]);
    expect(r.autoResolve).toEqual([]);
  });

  it("should auto-resolve open and acknowledged signals whose condition no longer holds", () => {
    const r = reconcileSignals(
      [
        stored("s1", "k1", "open"),
        stored("s2", "k2", "acknowledged"),
        stored("s3", "k3", "resolved", "2024-06-01"),
      ],
      [],
      "2024-07-01",
    );
    expect(r.autoResolve).toEqual(["s1", "s2"]);
  });

  it("should not raise again a condition resolved 7 days ago or less", () => {
    const r = reconcileSignals(
      [stored("s1", "k1", "resolved", "2024-06-24")],
      [detected("k1")],
      "2024-07-01",
    );
    expect(r.create).toEqual([]);
    expect(r.suppressed.map((d) => d.dedupKey)).toEqual(["k1"]);
  });

  it("should raise a new signal when the condition returns more than 7 days after resolution", () => {
    const existing = [
      stored("s0", "k1", "resolved", "2024-06-01"),
      stored("s1", "k1", "resolved", "2024-06-23"),
    ];
    const r = reconcileSignals(existing, [detected("k1")], "2024-07-01");
    expect(r.create.map((d) => d.dedupKey)).toEqual(["k1"]);
    expect(reconcileSignals(existing, [detected("k1")], "2024-06-30", 7).create).toEqual([]);
    expect(reconcileSignals(existing, [detected("k1")], "2024-06-30", 0).create).toHaveLength(1);
  });
});

describe("transitionSignal", () => {
  const open = stored("s1", "k1", "open");

  it("should acknowledge then resolve, recording who and when", () => {
    const ack = transitionSignal(open, "acknowledged", "csm@acme.test", "2024-07-02");
    expect(ack).toMatchObject({
      status: "acknowledged",
      acknowledgedAt: "2024-07-02",
      statusChangedBy: "csm@acme.test",
    });
    const done = transitionSignal(ack, "resolved", "lead@acme.test", "2024-07-05");
    expect(done).toMatchObject({
      status: "resolved",
      resolvedAt: "2024-07-05",
      acknowledgedAt: "2024-07-02",
    });
    expect(open.status).toBe("open");
  });

  it("should allow open → resolved and acknowledged → open", () => {
    expect(transitionSignal(open, "resolved", "u", "2024-07-02").status).toBe("resolved");
    const ack = transitionSignal(open, "acknowledged", "u", "2024-07-02");
    expect(transitionSignal(ack, "open", "u", "2024-07-03")).toMatchObject({
      status: "open",
      acknowledgedAt: null,
    });
  });

  it("should throw a validation error when the move is not allowed", () => {
    const resolved = transitionSignal(open, "resolved", "u", "2024-07-02");
    for (const to of ["open", "acknowledged", "resolved"] as const) {
      let error: unknown;
      try {
        transitionSignal(resolved, to, "u", "2024-07-03");
      } catch (err) {
        error = err;
      }
      expect(isTenureError(error, "validation")).toBe(true);
    }
    expect(() => transitionSignal(open, "open", "u", "2024-07-02")).toThrow("cannot move from open to open");
    expect(canTransitionSignal("acknowledged", "acknowledged")).toBe(false);
  });
});
