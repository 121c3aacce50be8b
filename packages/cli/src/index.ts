export { buildProgram, runCli } from "./main";
export type { Io } from "./output";
