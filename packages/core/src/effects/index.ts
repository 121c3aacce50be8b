export * from "./effect-report";
export * from "./estimate-effect";
export {
  regularizedIncompleteBeta,
  studentTCdf,
  studentTDensity,
  studentTQuantile,
  studentTUpperTail,
} from "./student-t";
