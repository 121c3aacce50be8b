import path from "node:path";
import type { TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { type Argument, Command, InvalidArgumentError, Option } from "commander";
import type { CommandAudit } from "./audit-cli";
import { CLV_MODELS, PREDICT_TARGETS } from "./choices";
import type { GlobalOptions } from "./context";
import { type Io, processIo, writeLine } from "./io";

// Only commander and this file load at start: each command's module (and the services, storage and
// server packages under it) is imported when that command runs, so `tenure --help` starts fast.

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`${name} must be a whole number, got "${v}"`);
  return n;
};

const rateList = (v: string) => {
  const rates = v
    .split(",")
    .map((s) => Number(s.trim().replace(/%$/, "")) / (s.trim().endsWith("%") ? 100 : 1));
  if (rates.some((r) => !Number.isFinite(r))) {
    throw new InvalidArgumentError(
      `--rates must be comma-separated fractions or percents (0,0.03,-3%), got "${v}"`,
    );
  }
  return rates;
};

/** What a command action gets: the opened store and config, and where to write. */
type Action = (ctx: {
  storage: Storage;
  config: TenureConfig;
  ws: string;
  io: Io;
}) => Promise<number | "keep-open">;

/**
 * Choice lists owned by the services (one list each), set on the command's first argument when that
 * command is dispatched (its run or its --help), so other commands never load the services.
 */
const SERVICE_CHOICES: Record<string, () => Promise<string[]>> = {
  import: async () => [...(await import("@tenure/services")).IMPORT_KINDS, "events"],
  report: async () => [...(await import("@tenure/services")).REPORT_KINDS, "usage"],
};

/** Builds the `tenure` program. `io` is injectable for in-process tests. */
export function buildProgram(io: Io, setExit: (code: number) => void, env = process.env) {
  const program = new Command("tenure")
    .description("Tenure: customer success and revenue analytics for subscription businesses")
    .option(
      "--db <path>",
      "SQLite database file (default: $TENURE_DATA_DIR/tenure.db, or TENURE_DATABASE_URL)",
    )
    .option("--workspace <id>", "workspace id (default: the default workspace)")
    .configureOutput({ writeOut: (s) => io.out.write(s), writeErr: (s) => io.err.write(s) })
    .exitOverride()
    .showHelpAfterError()
    .hook("preSubcommand", async (_program, sub) => {
      const choices = SERVICE_CHOICES[sub.name()];
      const kind: Argument | undefined = sub.registeredArguments[0];
      if (choices && kind) kind.choices(await choices());
    });

  /** Runs a command; a changing command passes `audit`, and its change and audit row commit together. */
  const run = (action: Action, audit?: CommandAudit) => async () => {
    const { openFromOptions } = await import("./context");
    const { storage, config, ws } = await openFromOptions(program.opts<GlobalOptions>(), env);
    let keepOpen = false;
    try {
      const exec = () => action({ storage, config, ws, io });
      const result =
        audit === undefined
          ? await exec()
          : await (await import("./audit-cli")).auditedCommand(storage, ws, audit, exec);
      if (result === "keep-open") keepOpen = true;
      else setExit(result);
    } finally {
      if (!keepOpen) await storage.close();
    }
  };

  program
    .command("import")
    .description("import a CSV or JSON file; any bad row = nothing written (see docs/import.md)")
    .addArgument(
      program.createArgument(
        "<kind>",
        "what the file holds (events: Segment calls as JSON lines, docs/tracking.md)",
      ),
    )
    .argument("<file>", "CSV, JSON array or JSON lines file")
    .option("--allow-partial", "write the good rows even if some are bad", false)
    .option("--json", "print the summary as JSON", false)
    .action((kind: string, file: string, o: { allowPartial: boolean; json: boolean }) =>
      run(
        async ({ storage, config, ws }) => {
          if (kind === "events") {
            const { importEventsCommand } = await import("./commands/usage");
            return importEventsCommand(storage, { workspaceId: ws, file, json: o.json }, io);
          }
          const { importCommand } = await import("./commands/import");
          return importCommand(
            storage,
            {
              workspaceId: ws,
              kind,
              file,
              allowPartial: o.allowPartial,
              json: o.json,
              reportingCurrency: config.reportingCurrency,
            },
            io,
          );
        },
        {
          action: "import.run",
          entityType: "import",
          entityId: kind,
          after: { kind, file: path.basename(file), allowPartial: o.allowPartial },
          bulk: true,
          keepOnFailure: true,
        },
      )(),
    );

  program
    .command("report")
    .description("revenue and usage reports (see docs/reports.md)")
    .argument("<kind>", "which report")
    .option("--from <YYYY-MM>", "first month (usage: first day, YYYY-MM-DD)")
    .option("--to <YYYY-MM>", "last month (usage: last day, YYYY-MM-DD)")
    .option("--account <id>", "usage: the account's external id")
    .option("--segment <attr=value>", "only accounts with this attribute, e.g. tier=enterprise")
    .option("--json", "print JSON", false)
    .option("--rates <list>", "whatif: monthly growth rates, e.g. 0,0.03,-0.03,-0.05", rateList)
    .option("--months <n>", "whatif: horizon in months", int("--months"))
    .option("--margin <fraction>", "unit-economics: gross margin 0-1", Number.parseFloat)
    .action(
      (
        kind: string,
        o: {
          from?: string;
          to?: string;
          segment?: string;
          json: boolean;
          rates?: number[];
          months?: number;
          margin?: number;
          account?: string;
        },
      ) =>
        run(async ({ storage, config, ws }) => {
          if (kind === "usage") {
            const { usageReportCommand } = await import("./commands/usage");
            return usageReportCommand(storage, { workspaceId: ws, ...o }, io);
          }
          const { reportCommand } = await import("./commands/report");
          return reportCommand(storage, config, { workspaceId: ws, kind, ...o }, io);
        })(),
    );

  program
    .command("demo")
    .description("seed the demo company (first run) and serve the web app at http://localhost:3000")
    .option("--accounts <n>", "number of accounts to generate", int("--accounts"))
    .option("--seed <n>", "random seed", int("--seed"))
    .option("--port <n>", "HTTP port", int("--port"))
    .option("--no-serve", "only seed the data")
    .option("--no-worker", "do not run queued jobs in this process (TENURE_WORKER=off; run `tenure worker`)")
    .action((o: { accounts?: number; seed?: number; port?: number; serve: boolean; worker: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { demoCommand } = await import("./commands/serve");
        const server = await demoCommand(storage, config, { workspaceId: ws, ...o }, io);
        return server ? "keep-open" : 0;
      })(),
    );

  program
    .command("serve")
    .description("serve the API and web app")
    .option("--port <n>", "HTTP port", int("--port"))
    .option("--no-worker", "do not run queued jobs in this process (TENURE_WORKER=off; run `tenure worker`)")
    .action((o: { port?: number; worker: boolean }) =>
      run(async ({ storage, config }) => {
        const { serveCommand } = await import("./commands/serve");
        await serveCommand(storage, config, o, io);
        return "keep-open";
      })(),
    );

  program
    .command("worker")
    .description("run queued jobs (deliveries, automations, schedules) until SIGTERM/SIGINT (docs/jobs.md)")
    .option(
      "--concurrency <n>",
      "jobs run at once (default: TENURE_WORKER_CONCURRENCY, else 4)",
      (v: string) => {
        const n = int("--concurrency")(v);
        if (n < 1) throw new InvalidArgumentError(`--concurrency must be at least 1, got "${v}"`);
        return n;
      },
    )
    .action((o: { concurrency?: number }) =>
      run(async ({ storage, config }) => {
        const { workerCommand } = await import("./commands/worker");
        await workerCommand(storage, config, o, io);
        return "keep-open";
      })(),
    );

  const health = program.command("health").description("account health scores and signals (docs/health.md)");
  health
    .command("recompute")
    .description("score every account, raise and resolve signals, apply lifecycle-stage rules")
    .option("--as-of <YYYY-MM-DD>", "the day to score (default: today)")
    .option("--json", "print JSON", false)
    .action((o: { asOf?: string; json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { healthRecomputeCommand } = await import("./commands/health");
        return healthRecomputeCommand(storage, config, { workspaceId: ws, ...o }, io);
      })(),
    );

  const workspaces = program
    .command("workspaces")
    .description("workspaces: fully separate data, keys and settings");
  workspaces
    .command("create")
    .description("create a workspace; prints its id")
    .argument("<name>", "the workspace's name")
    .option("--json", 'print {"id","name"}', false)
    .action((name: string, o: { json: boolean }) =>
      run(async ({ storage }) => {
        const { workspacesCreateCommand } = await import("./commands/workspaces");
        return workspacesCreateCommand(storage, { name, ...o }, io);
      })(),
    );
  workspaces
    .command("list")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage }) => {
        const { workspacesListCommand } = await import("./commands/workspaces");
        return workspacesListCommand(storage, o, io);
      })(),
    );

  const keys = program.command("keys").description("API keys (docs/security.md)");
  keys
    .command("create")
    .description("create an API key (admin: everything; read: reads only; tracking: /v1 tracking events)")
    .addOption(new Option("--scope <scope>", "what the key may do").choices(["admin", "read", "tracking"]))
    .addOption(
      new Option("--kind <kind>", "older name of --scope (write = tracking)").choices([
        "admin",
        "read",
        "write",
      ]),
    )
    .option("--team <id>", "limit the key to this team's book of accounts")
    .option("--name <name>", "a label for the key")
    .option("--json", "print JSON", false)
    .action((o: { scope?: string; kind?: string; team?: string; name?: string; json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { keysCreateCommand } = await import("./commands/keys");
        return keysCreateCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  keys
    .command("list")
    .description("keys with name, scope, team, created, last used and expiry (never the keys)")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { keysListCommand } = await import("./commands/keys");
        return keysListCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  keys
    .command("rotate")
    .description("replace a key: prints the new key once; the old one works until the overlap ends")
    .argument("<id>", "key id")
    .option("--overlap <duration>", "how long the old key keeps working (24h, 30m, 7d, 0)", "24h")
    .option("--json", "print JSON", false)
    .action((id: string, o: { overlap: string; json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { keysRotateCommand } = await import("./commands/keys");
        return keysRotateCommand(storage, { workspaceId: ws, id, ...o }, io);
      })(),
    );
  keys
    .command("revoke")
    .argument("<id>", "key id")
    .action((id: string) =>
      run(async ({ storage, ws }) => {
        const { keysRevokeCommand } = await import("./commands/keys");
        return keysRevokeCommand(storage, { workspaceId: ws, id }, io);
      })(),
    );

  const users = program.command("users").description("people who sign in to the web app");
  users
    .command("create")
    .description("create a user with a password read from stdin (the first admin: --role admin)")
    .requiredOption("--email <email>", "their email (they sign in with it)")
    .addOption(
      new Option("--role <role>", "their role in the workspace")
        .choices(["admin", "manager", "csm", "viewer"])
        .makeOptionMandatory(),
    )
    .option("--name <name>", "their name (default: the email's local part)")
    .option("--password-stdin", "read the password from stdin (required)", false)
    .option("--json", "print JSON", false)
    .action((o: { email: string; role: string; name?: string; passwordStdin: boolean; json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { usersCreateCommand } = await import("./commands/users");
        return usersCreateCommand(storage, config, { workspaceId: ws, ...o }, io);
      })(),
    );

  const audit = program.command("audit").description("the audit log: every change, who made it and when");
  const auditFilters = (c: Command) =>
    c
      .option("--actor <id>", "actor id or label (email, key name, cli)")
      .option("--action <action>", "e.g. task.update")
      .option("--entity-type <type>", "e.g. task")
      .option("--entity-id <id>", "one entity")
      .option("--from <date>", "from this day (YYYY-MM-DD) or instant")
      .option("--to <date>", "to this day (inclusive) or instant");
  type AuditFilterOptions = {
    actor?: string;
    action?: string;
    entityType?: string;
    entityId?: string;
    from?: string;
    to?: string;
  };
  auditFilters(audit.command("list").description("newest changes first"))
    .option("--limit <n>", "at most this many (default 100, max 500)", int("--limit"))
    .option("--json", "print JSON", false)
    .action((o: AuditFilterOptions & { limit?: number; json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { auditListCommand } = await import("./commands/audit");
        return auditListCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  auditFilters(audit.command("export").description("the whole filtered log on stdout"))
    .addOption(new Option("--format <format>", "csv or JSON lines").choices(["csv", "jsonl"]).default("csv"))
    .action((o: AuditFilterOptions & { format: "csv" | "jsonl" }) =>
      run(async ({ storage, ws }) => {
        const { auditExportCommand } = await import("./commands/audit");
        return auditExportCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );

  const model = program.command("model").description("churn models");
  model
    .command("evaluate")
    .description("train on a labelled CSV and print test ROC-AUC, PR-AUC, log loss, lift and calibration")
    .requiredOption("--csv <file>", "labelled CSV with a header row")
    .requiredOption("--label <column>", "binary label column (Yes/No, true/false, 1/0)")
    .requiredOption("--id <column>", "row id column")
    .option("--split <file>", "CSV of id,split (train|test); default: seeded stratified 80/20")
    .option("--seed <n>", "random seed", int("--seed"))
    .option("--json", "print JSON", false)
    .action(
      async (o: { csv: string; label: string; id: string; split?: string; seed?: number; json: boolean }) => {
        const { modelEvaluateCommand } = await import("./commands/model");
        setExit(await modelEvaluateCommand(o, io));
      },
    );

  const clv = program.command("clv").description("customer lifetime value models");
  clv
    .command("fit")
    .description("fit sBG from survivor counts, or BG/NBD, Pareto/NBD, Gamma-Gamma from a transaction log")
    .addArgument(program.createArgument("<model>", "which model").choices([...CLV_MODELS]))
    .option(
      "--survivors <counts>",
      "sbg: cohort size then survivors per period, e.g. 1000,631,468 (';' between cohorts)",
    )
    .option("--discount <rate>", "sbg: discount rate per period for DEL and DERL", Number.parseFloat, 0.1)
    .option("--renewals <n>", "sbg: renewals made, for DERL (default: periods observed)", int("--renewals"))
    .option("--horizon <n>", "sbg: periods to project (default: observed + 5)", int("--horizon"))
    .option("--transactions <file>", "CSV customer_id,date,amount, or the CDNOW whitespace layout")
    .option("--calibration-end <YYYY-MM-DD>", "last day of the calibration period")
    .addOption(
      new Option("--time-unit <unit>", "time unit of the model")
        .choices(["day", "week", "month"])
        .default("week"),
    )
    .option("--json", "print JSON", false)
    .action(
      async (
        model: string,
        o: {
          survivors?: string;
          discount?: number;
          renewals?: number;
          horizon?: number;
          transactions?: string;
          calibrationEnd?: string;
          timeUnit?: string;
          json: boolean;
        },
      ) => {
        const { clvFitCommand } = await import("./commands/clv");
        setExit(await clvFitCommand({ model, ...o }, io));
      },
    );

  const predict = program
    .command("predict")
    .description("churn and expansion predictions (time-based backtest)");
  predict
    .command("train")
    .description("train logistic and GBT on past months, backtest on later ones, score every paying account")
    .addOption(
      new Option("--target <target>", "what to predict").choices([...PREDICT_TARGETS]).default("churn"),
    )
    .option("--as-of <YYYY-MM-DD>", "the prediction date (default: today)")
    .option("--horizon-days <n>", "label horizon in days (default 90)", int("--horizon-days"))
    .option("--json", "print JSON", false)
    .action((o: { target: string; asOf?: string; horizonDays?: number; json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { predictTrainCommand } = await import("./commands/predict");
        return predictTrainCommand(storage, config, { workspaceId: ws, ...o }, io);
      })(),
    );
  predict
    .command("list")
    .description(
      "every account with its churn probability (90 days), expansion propensity, usage and health facts, and reasons",
    )
    .option("--as-of <YYYY-MM-DD>", "the date of the facts (default: today)")
    .option("--json", "print JSON", false)
    .action((o: { asOf?: string; json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { predictListCommand } = await import("./commands/predict");
        return predictListCommand(storage, config, { workspaceId: ws, ...o }, io);
      })(),
    );
  predict
    .command("renewals")
    .description(
      "renewal forecast: expected renewal ARR from the churn score calibrated on the tier's past renewals",
    )
    .option("--days <n>", "renewals within this many days (default 90)", int("--days"))
    .option(
      "--quarters <n>",
      "instead of --days: through the end of the n-th calendar quarter",
      int("--quarters"),
    )
    .addOption(new Option("--period <period>", "group by").choices(["month", "quarter"]).default("month"))
    .option("--as-of <YYYY-MM-DD>", "the forecast date (default: today)")
    .option("--backtest", "replay the last four completed quarters against what renewed", false)
    .option("--json", "print JSON", false)
    .action(
      (o: {
        days?: number;
        quarters?: number;
        period: string;
        asOf?: string;
        json: boolean;
        backtest: boolean;
      }) =>
        run(async ({ storage, config, ws }) => {
          const { predictRenewalsCommand } = await import("./commands/predict");
          return predictRenewalsCommand(storage, config, { workspaceId: ws, ...o }, io);
        })(),
    );

  const renewals = program
    .command("renewals")
    .description("renewal calendar, outcomes, churn reasons and save campaigns");
  renewals
    .command("list")
    .description("the renewal calendar: ARR, owner, health band and the forecast's renewal probability")
    .option("--months <n>", "calendar months from this one (1-24, default 6)", int("--months"))
    .option("--owner <owner>", "only this owner's accounts")
    .option("--as-of <YYYY-MM-DD>", "the calendar date (default: today)")
    .option("--json", "print JSON", false)
    .action((o: { months?: number; owner?: string; asOf?: string; json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { renewalsListCommand } = await import("./commands/renewals");
        return renewalsListCommand(storage, config, { workspaceId: ws, ...o }, io);
      })(),
    );
  renewals
    .command("outcome <account> <date> <outcome>")
    .description("record a renewal's outcome: renewed, expanded, downgraded or churned (with --reason)")
    .option("--arr-after <n>", "ARR after the renewal (expanded, downgraded)")
    .option("--arr-before <n>", "ARR up for renewal (default: the calendar's)")
    .option("--reason <key>", "churn reason (tenure renewals reasons lists them)")
    .option("--note <text>", "a note")
    .option("--json", "print JSON", false)
    .action(
      (
        account: string,
        date: string,
        outcome: string,
        o: { arrAfter?: string; arrBefore?: string; reason?: string; note?: string; json: boolean },
      ) =>
        run(
          async ({ storage, config, ws }) => {
            const { renewalsOutcomeCommand } = await import("./commands/renewals");
            return renewalsOutcomeCommand(
              storage,
              config,
              { workspaceId: ws, account, date, outcome, ...o },
              io,
            );
          },
          {
            action: "renewal_outcome.create",
            entityType: "account",
            entityId: account,
            after: { date, outcome, ...o },
          },
        )(),
    );
  renewals
    .command("reasons")
    .description("churn by reason: count, lost ARR and the manageable share")
    .option("--from <YYYY-MM-DD>", "renewals on or after")
    .option("--to <YYYY-MM-DD>", "renewals on or before")
    .option("--json", "print JSON", false)
    .action((o: { from?: string; to?: string; json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { renewalsReasonsCommand } = await import("./commands/renewals");
        return renewalsReasonsCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  renewals
    .command("campaigns")
    .description("save campaigns: at-risk ARR worked, ARR saved, cost and ROI")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { renewalsCampaignsCommand } = await import("./commands/renewals");
        return renewalsCampaignsCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  const referrals = program.command("referrals").description("referrals by advocate accounts");
  referrals
    .command("list")
    .description("referrals with referred ARR")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { referralsListCommand } = await import("./commands/renewals");
        return referralsListCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  referrals
    .command("add <advocate>")
    .description("record a referral by an advocate account")
    .option("--account <id>", "the referred account, when it is one")
    .option("--name <name>", "the referred company (default: the account's name)")
    .option("--date <YYYY-MM-DD>", "when it was referred (default: today)")
    .option("--arr <n>", "referred ARR")
    .addOption(
      new Option("--status <status>", "where it stands").choices(["referred", "qualified", "won", "lost"]),
    )
    .option("--json", "print JSON", false)
    .action(
      (
        advocate: string,
        o: { account?: string; name?: string; date?: string; arr?: string; status?: string; json: boolean },
      ) =>
        run(
          async ({ storage, ws }) => {
            const { referralsAddCommand } = await import("./commands/renewals");
            return referralsAddCommand(storage, { workspaceId: ws, advocate, ...o }, io);
          },
          { action: "referral.create", entityType: "account", entityId: advocate, after: o },
        )(),
    );
  const surveys = program.command("surveys").description("NPS and CSAT answers");
  surveys
    .command("import <file>")
    .description("NPS and CSAT answers from CSV (account_id, score, kind, date, contact_id, comment)")
    .option("--json", "print JSON", false)
    .action((file: string, o: { json: boolean }) =>
      run(
        async ({ storage, ws }) => {
          const { surveysImportCommand } = await import("./commands/renewals");
          return surveysImportCommand(storage, { workspaceId: ws, file, ...o }, io);
        },
        {
          action: "import.run",
          entityType: "import",
          entityId: "surveys",
          after: { file: path.basename(file) },
          bulk: true,
          keepOnFailure: true,
        },
      )(),
    );
  surveys
    .command("summary")
    .description("NPS, CSAT and promoters over a period (default: the last 365 days)")
    .option("--from <YYYY-MM-DD>", "answers on or after")
    .option("--to <YYYY-MM-DD>", "answers on or before")
    .option("--json", "print JSON", false)
    .action((o: { from?: string; to?: string; json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { surveysSummaryCommand } = await import("./commands/renewals");
        return surveysSummaryCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );

  const playbooks = program
    .command("playbooks")
    .description("the playbook (SOP) library and its runs (docs/playbooks.md)");
  playbooks
    .command("list")
    .description("playbooks with their latest version (JSON: {playbooks})")
    .option("--archived", "include archived playbooks", false)
    .option("--json", "print JSON", false)
    .action((o: { archived: boolean; json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { playbooksListCommand } = await import("./commands/playbooks");
        return playbooksListCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  playbooks
    .command("show <key>")
    .description("a playbook's steps, versions and runs (JSON: {playbook, versions, runs})")
    .option("--json", "print JSON", false)
    .action((key: string, o: { json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { playbooksShowCommand } = await import("./commands/playbooks");
        return playbooksShowCommand(storage, { workspaceId: ws, key, ...o }, io);
      })(),
    );
  playbooks
    .command("run <key>")
    .description("start a playbook on an account: one task per step (an open run is shown instead)")
    .option("--account <id>", "the account")
    .option("--holdout", "record a control run without tasks", false)
    .option("--json", "print JSON", false)
    .action((key: string, o: { account?: string; holdout: boolean; json: boolean }) =>
      run(
        async ({ storage, config, ws }) => {
          const { playbooksRunCommand } = await import("./commands/playbooks");
          return playbooksRunCommand(storage, config, { workspaceId: ws, key, ...o }, io);
        },
        { action: "playbook_run.start", entityType: "playbook", entityId: key, after: o },
      )(),
    );

  const automations = program
    .command("automations")
    .description(
      "automations: trigger + conditions -> actions, with hold-outs and a run log (docs/automations.md)",
    );
  automations
    .command("list")
    .description("every automation with its trigger, actions, hold-out share and log counts")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { automationsListCommand } = await import("./commands/automations");
        return automationsListCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  automations
    .command("dry-run <id>")
    .description("which accounts the automation would affect now and what would happen (writes nothing)")
    .option("--days <n>", "look back this many days for time triggers (default 1)")
    .option("--json", "print JSON", false)
    .action((id: string, o: { days?: string; json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { automationsDryRunCommand } = await import("./commands/automations");
        return automationsDryRunCommand(storage, config, { workspaceId: ws, id, ...o }, io);
      })(),
    );

  const effect = program
    .command("effect")
    .description(
      "did it work? treatment effects with a control group and a confidence interval (docs/effects.md)",
    );
  effect
    .command("estimate")
    .description("effect of a treated group on a metric in your own CSV: CUPED on pre, Welch 95% interval")
    .requiredOption("--csv <file>", "CSV with a header row, one unit (account) per row")
    .requiredOption("--group <column>", "column naming each row's group")
    .requiredOption(
      "--treated <value>",
      "value of --group that marks treated rows; every other value is control",
    )
    .option("--pre <column>", "metric at the start of the window (required unless --no-cuped)")
    .requiredOption("--post <column>", "metric at the end of the window")
    .option("--no-cuped", "compare post alone, without the pre-period adjustment")
    .option("--json", "print JSON (theta is null with --no-cuped)", false)
    .action(
      async (o: {
        csv: string;
        group: string;
        treated: string;
        pre?: string;
        post: string;
        cuped: boolean;
        json: boolean;
      }) => {
        const { effectEstimateCommand } = await import("./commands/effect");
        setExit(await effectEstimateCommand(o, io));
      },
    );
  effect
    .command("report")
    .description(
      "every playbook version's effect against its hold-out or matched accounts, and success rates",
    )
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { effectReportCommand } = await import("./commands/effect");
        return effectReportCommand(storage, config, { workspaceId: ws, ...o }, io);
      })(),
    );

  const team = program
    .command("team")
    .description("team members, account owners and workload (docs/team.md)");
  team
    .command("list")
    .description("teams and members, with the accounts each owns against capacity")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, ws }) => {
        const { teamListCommand } = await import("./commands/team");
        return teamListCommand(storage, { workspaceId: ws, ...o }, io);
      })(),
    );
  team
    .command("add")
    .description("add a member, or edit one (by --id, else the email)")
    .requiredOption("--name <name>", "full name")
    .requiredOption("--email <email>", "email, unique in the workspace")
    .option("--team <id>", "team id (tenure team list)")
    .option("--role <label>", "role label, e.g. Senior CSM")
    .option("--capacity <n>", "how many accounts the member can own", int("--capacity"))
    .option("--id <id>", "member id (default: the email)")
    .option("--json", "print JSON", false)
    .action(
      (o: {
        name: string;
        email: string;
        team?: string;
        role?: string;
        capacity?: number;
        id?: string;
        json: boolean;
      }) =>
        run(
          async ({ storage, ws }) => {
            const { teamAddCommand } = await import("./commands/team");
            return teamAddCommand(storage, { workspaceId: ws, ...o }, io);
          },
          { action: "member.update", entityType: "member", entityId: o.id ?? o.email, after: o },
        )(),
    );
  team
    .command("deactivate <member>")
    .description("deactivate a member: open tasks and accounts go to --successor, or to their team's pool")
    .option("--successor <member>", "the member who takes over")
    .option("--json", "print JSON", false)
    .action((member: string, o: { successor?: string; json: boolean }) =>
      run(
        async ({ storage, ws }) => {
          const { teamDeactivateCommand } = await import("./commands/team");
          return teamDeactivateCommand(storage, { workspaceId: ws, member, ...o }, io);
        },
        { action: "member.deactivate", entityType: "member", entityId: member, after: o },
      )(),
    );
  team
    .command("reassign <member>")
    .description("move a member's whole book of accounts --to another member or to a team's --pool")
    .option("--to <member>", "the member who takes the accounts")
    .option("--pool <team>", "the team whose pool takes them")
    .option("--json", "print JSON", false)
    .action((from: string, o: { to?: string; pool?: string; json: boolean }) =>
      run(
        async ({ storage, ws }) => {
          const { teamReassignCommand } = await import("./commands/team");
          return teamReassignCommand(storage, { workspaceId: ws, from, ...o }, io);
        },
        { action: "member.book.reassign", entityType: "member", entityId: from, after: o },
      )(),
    );
  team
    .command("owner <accounts...>")
    .description("set the owner of accounts --to a member or a team's --pool")
    .option("--to <member>", "the member who owns them")
    .option("--pool <team>", "the team whose pool holds them")
    .option("--json", "print JSON", false)
    .action((accounts: string[], o: { to?: string; pool?: string; json: boolean }) =>
      run(
        async ({ storage, ws }) => {
          const { teamOwnerCommand } = await import("./commands/team");
          return teamOwnerCommand(storage, { workspaceId: ws, accounts, ...o }, io);
        },
        { action: "account.owner.set", entityType: "account", entityId: accounts.join(","), after: o },
      )(),
    );
  team
    .command("workload")
    .description("accounts, ARR, open and overdue tasks per CSM against capacity")
    .option("--json", "print JSON", false)
    .action((o: { json: boolean }) =>
      run(async ({ storage, config, ws }) => {
        const { teamWorkloadCommand } = await import("./commands/team");
        return teamWorkloadCommand(storage, config.reportingCurrency, { workspaceId: ws, ...o }, io);
      })(),
    );

  const tasks = program
    .command("tasks")
    .description("tasks on accounts: work lists, creation, closing (docs/team.md)");
  tasks
    .command("list")
    .description("open tasks in due-date order (JSON: {tasks, nextCursor})")
    .option("--assignee <member>", "a member's tasks (id, email or name)")
    .option("--team <id>", "a team's tasks")
    .option("--account <id>", "an account's tasks")
    .option("--status <status>", "open (default), closed, all, in_progress, done or skipped")
    .option("--overdue", "only open tasks due before today", false)
    .option("--limit <n>", "at most this many (default 1000)", int("--limit"))
    .option("--json", "print JSON", false)
    .action(
      (o: {
        assignee?: string;
        team?: string;
        account?: string;
        status?: string;
        overdue: boolean;
        limit?: number;
        json: boolean;
      }) =>
        run(async ({ storage, ws }) => {
          const { tasksListCommand } = await import("./commands/tasks");
          return tasksListCommand(storage, { workspaceId: ws, ...o }, io);
        })(),
    );
  tasks
    .command("add <account> <title>")
    .description("create a task on an account (assigned to its owner unless --assign says otherwise)")
    .option("--due <YYYY-MM-DD>", "due date (default: in 3 days)")
    .option("--priority <p>", "low, normal, high or urgent")
    .option("--assign <how>", "owner, member:<id>, round-robin:<team>, least-loaded:<team> or pool:<team>")
    .option("--description <markdown>", "what to do")
    .option("--as <member>", "the member acting (id or email)")
    .option("--json", "print JSON", false)
    .action(
      (
        account: string,
        title: string,
        o: {
          due?: string;
          priority?: string;
          assign?: string;
          description?: string;
          as?: string;
          json: boolean;
        },
      ) =>
        run(
          async ({ storage, ws }) => {
            const { tasksAddCommand } = await import("./commands/tasks");
            return tasksAddCommand(storage, { workspaceId: ws, account, title, ...o }, io);
          },
          { action: "task.create", entityType: "account", entityId: account, after: { title, ...o } },
        )(),
    );
  for (const [name, status] of [
    ["done", "done"],
    ["skip", "skipped"],
  ] as const) {
    tasks
      .command(`${name} <id>`)
      .description(`${name === "done" ? "complete" : "skip"} a task, with an optional outcome note`)
      .option("--outcome <text>", "what happened")
      .option("--as <member>", "the member acting (id or email)")
      .option("--json", "print JSON", false)
      .action((id: string, o: { outcome?: string; as?: string; json: boolean }) =>
        run(
          async ({ storage, ws }) => {
            const { tasksCloseCommand } = await import("./commands/tasks");
            return tasksCloseCommand(storage, { workspaceId: ws, id, status, ...o }, io);
          },
          { action: `task.${name === "done" ? "done" : "skip"}`, entityType: "task", entityId: id, after: o },
        )(),
      );
  }

  return program;
}

/** Runs the CLI and returns the exit code; errors are printed as one line the user can act on. */
export async function runCli(argv: string[], io: Io = processIo(), env = process.env): Promise<number> {
  let code = 0;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    env,
  );
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (typeof e.code === "string" && e.code.startsWith("commander.")) {
      return e.code === "commander.helpDisplayed" || e.code === "commander.version" ? 0 : (e.exitCode ?? 2);
    }
    // Loaded only on this path: a failing command has loaded core already.
    const { TenureError } = await import("@tenure/core");
    if (err instanceof TenureError) {
      writeLine(io.err, `Error: ${err.message}`);
      return err.code === "validation" || err.code === "not_found" ? 2 : 1;
    }
    writeLine(io.err, `Unexpected error: ${e.message ?? String(err)}`);
    return 1;
  }
}
