import { automationsPart } from "./automations";
import { effectsPart } from "./effects";
import type { ActionsBenchPart } from "./part";
import { queuePart } from "./queue";
import { tasksPart } from "./tasks";

/** The parts of the `actions` suite in run order; each engineer appends one import and one entry. */
export const ACTIONS_PARTS: readonly ActionsBenchPart[] = [
  queuePart,
  effectsPart,
  tasksPart,
  automationsPart,
];
