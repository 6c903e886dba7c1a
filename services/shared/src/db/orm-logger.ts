import { stripVTControlCharacters } from 'node:util';
import type { LogContext, Logger as OrmLogger, LoggerNamespace, LoggerOptions } from '@mikro-orm/core';
import type { Logger } from 'pino';

/**
 * What MikroORM may log at debug. `query-params` stays out on purpose: it inlines bound values
 * (password hashes, refresh tokens) into the SQL, where pino's path-based redaction cannot see them.
 */
export const ORM_DEBUG_NAMESPACES: LoggerNamespace[] = ['query', 'info', 'discovery', 'schema'];

/**
 * Routes MikroORM's logging into pino: its chatter and failed queries (thrown on to their caller)
 * at debug, its warnings and errors at warn and error whatever the debug namespaces (the default
 * logger would hide a pool error unless `info` debugging is on). Pass the result as MikroORM's
 * `loggerFactory`.
 */
export function pinoOrmLoggerFactory(log: Logger): (options: LoggerOptions) => OrmLogger {
  return (options) => new PinoOrmLogger(log, options.debugMode ?? false);
}

class PinoOrmLogger implements OrmLogger {
  readonly #log: Logger;
  #debugMode: boolean | LoggerNamespace[];

  constructor(log: Logger, debugMode: boolean | LoggerNamespace[]) {
    this.#log = log;
    this.#debugMode = debugMode;
  }

  log(namespace: LoggerNamespace | (string & {}), message: string, context?: LogContext): void {
    const level = levelOf(namespace, context);
    if (level === 'debug' && !this.isEnabled(namespace as LoggerNamespace, context)) return;
    const fields = { namespace, ...(context?.label ? { label: context.label } : {}) };
    // MikroORM colours some messages with ANSI codes regardless of the output.
    this.#log[level](fields, stripVTControlCharacters(message).replace(/\s+/g, ' ').trim());
  }

  error(namespace: LoggerNamespace | (string & {}), message: string, context?: LogContext): void {
    this.log(namespace, message, { ...context, level: 'error' });
  }

  warn(namespace: LoggerNamespace | (string & {}), message: string, context?: LogContext): void {
    this.log(namespace, message, { ...context, level: 'warning' });
  }

  logQuery(context: LogContext & { query: string }): void {
    const namespace = context.namespace ?? 'query';
    // A failed query is not by itself an error: MikroORM throws it on to the caller, which either
    // answers it (a unique violation is a 409) or lets it reach the error handler, which logs it.
    const level = context.level === 'error' ? 'debug' : levelOf(namespace, context);
    if (level === 'debug' && !this.isEnabled(namespace, context)) return;
    // Bound parameters are left out for the reason given on ORM_DEBUG_NAMESPACES.
    const { query, took, results, affected, label } = context;
    this.#log[level]({ namespace, query, took, results, affected, label }, 'sql query');
  }

  setDebugMode(debugMode: boolean | LoggerNamespace[]): void {
    this.#debugMode = debugMode;
  }

  isEnabled(namespace: LoggerNamespace, context?: LogContext): boolean {
    if (!this.#log.isLevelEnabled('debug')) return false;
    if (context?.enabled !== undefined) return context.enabled;
    const debugMode = context?.debugMode ?? this.#debugMode;
    return Array.isArray(debugMode) ? debugMode.includes(namespace) : debugMode;
  }
}

function levelOf(namespace: string, context?: LogContext): 'debug' | 'warn' | 'error' {
  if (context?.level === 'error') return 'error';
  if (context?.level === 'warning' || namespace === 'deprecated') return 'warn';
  return 'debug';
}
