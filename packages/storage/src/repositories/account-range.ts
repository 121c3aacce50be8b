/**
 * A slice of a workspace's accounts by id, both ends inclusive: bulk jobs (the health recompute) read and
 * write a few hundred accounts at a time through the account_id indexes instead of the whole workspace.
 */
export interface AccountRange {
  from: string;
  to: string;
}
