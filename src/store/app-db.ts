/**
 * The app database's former single module, kept as the entry callers import from: the port's
 * types (`app-state.ts`) and the SQLite adapter (`sqlite-state.ts`). The data areas live in
 * `state-*.ts`, the PostgreSQL adapter in `postgres-state.ts`.
 */
export * from "./app-state.js";
export { AppDbVersionError } from "./errors.js";
export {
  APP_DB_FILE,
  type AppDbOptions,
  openAppDb,
  PSEUDONYM_KEY_FILE,
} from "./sqlite-state.js";
