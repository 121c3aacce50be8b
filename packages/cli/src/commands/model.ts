import { evaluateCsvFile } from "@tenure/services";
import { type Io, renderTable, writeLine } from "../output";

/** Arguments of `tenure model evaluate`. */
export interface ModelEvaluateArgs {
  csv: string;
  label: string;
  id: string;
  split?: string;
  seed?: number;
  json: boolean;
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/** `tenure model evaluate --csv FILE --label COL --id COL [--split FILE]`: trains, tests, prints metrics. */
export async function modelEvaluateCommand(args: ModelEvaluateArgs, io: Io): Promise<number> {
  const r = await evaluateCsvFile({
    csvPath: args.csv,
    label: args.label,
    id: args.id,
    splitPath: args.split,
    seed: args.seed,
  });
  if (args.json) {
    writeLine(io.out, JSON.stringify(r));
    return 0;
  }
  const model = r.model === "blend" ? `blend (${round(r.logisticWeight, 2)} logistic)` : r.model;
  writeLine(
    io.out,
    renderTable({
      title: `Model evaluation of ${r.file} (label ${args.label})`,
      columns: ["metric", "value"],
      rows: [
        ["ROC-AUC", round(r.auc)],
        ["PR-AUC", round(r.prAuc)],
        ["log loss", round(r.logLoss)],
        ["accuracy at 0.5", round(r.accuracy)],
        ["lift in top decile", round(r.liftTopDecile)],
        ["model", model],
        ["train / test rows", `${r.trainSize} / ${r.testSize}`],
        ["split", r.splitSource],
        ["seconds", round(r.seconds, 2)],
      ],
    }),
  );
  writeLine(io.out);
  writeLine(
    io.out,
    renderTable({
      title: "Top features (mean |log-odds contribution| on the test rows)",
      columns: ["feature", "importance"],
      rows: r.topFeatures.map((f) => [f.feature, round(f.importance)]),
    }),
  );
  return 0;
}
