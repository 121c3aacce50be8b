/**
 * The app's "now": its today (the server's or CLI's clock, which a demo or a test may set to another
 * day) at the machine's time of day. The same instant as `new Date()` whenever today is the machine's
 * date, so signals, runs and tasks dated by `today` and the passes that read them agree.
 */
export function appNow(today: () => string, wall: Date = new Date()): Date {
  return new Date(`${today()}T${wall.toISOString().slice(11)}`);
}
