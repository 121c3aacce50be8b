/**
 * The CLI's own choice lists. They live here, away from the commands, so that `tenure --help` and
 * argument checks need no command's code (commands load only when they run).
 */

/** Models `tenure clv fit` knows. */
export const CLV_MODELS = ["sbg", "bgnbd", "paretonbd", "gammagamma"] as const;
export type ClvModel = (typeof CLV_MODELS)[number];

/** What `tenure predict train` predicts. */
export const PREDICT_TARGETS = ["churn", "expansion"] as const;
