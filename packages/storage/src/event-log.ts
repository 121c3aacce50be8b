/**
 * The event log's pure encoding (no database): block format and messageId hashes. Its own entry
 * point (`@tenure/storage/event-log`) so a parsing worker thread can build blocks without loading
 * the database drivers.
 */
export { decodeEventBlock, encodeEventBlock } from "./repositories/usage-event-block";
export {
  BLOCK_COLUMN,
  BLOCK_COLUMNS,
  type EncodedEventBlock,
  EventBlockBuilder,
} from "./repositories/usage-event-block-builder";
export { HASH_WORDS, HashSet96, hashMessageId } from "./repositories/usage-id-index";
