export { DEFAULT_IMPORT_CURRENCY, ISO_4217_CODES } from "./currencies";
export { isCalendarDate } from "./fields";
export { formatFromExtension, importData, importFile } from "./import-data";
export { importColumns } from "./kinds";
export { normalizeColumn } from "./map-columns";
export { decodeUtf8, sniffFormat } from "./parse-records";
export {
  IMPORT_KINDS,
  type ImportDataInput,
  type ImportFileInput,
  type ImportFormat,
  type ImportIssue,
  type ImportKind,
  type ImportPhase,
  type ImportSummary,
} from "./types";
