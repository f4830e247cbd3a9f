import type { Knex } from 'knex';
import Value from 'typebox/value';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../errors.js';
import type { StackAdapter } from '../stacks/stack-adapter.js';
import type { NewOperation, Operation } from './operation.js';
import type { OperationStore } from './operation-store.js';
import { OperationParams, terminalStates, type OperationType, type Stack } from './vocabulary.js';

export interface OperationRequest {
  /** The eUICC, by EID or through the device that holds it. */
  eid?: string;
  deviceId?: string;
  type: OperationType;
  params: Record<string, unknown>;
  priority?: number;
  maxAttempts?: number;
  validUntil?: Date;
  validitySeconds?: number;
  requestedBy: string;
  reason?: Record<string, unknown>;
  ruleId?: string;
  ruleVersion?: number;
  eventId?: string;
}

export interface ResolvedTarget {
  eid: string;
  stack: Stack;
  deviceId: string | null;
}

/** Checks an operation's parameters against the vocabulary; a mismatch is a bad request. */
export function checkParams(type: OperationType, params: Record<string, unknown>): void {
  const schema = OperationParams[type];
  if (Value.Check(schema, params)) return;
  throw new ValidationError(`params do not fit operation ${type}`, {
    validation: [...Value.Errors(schema, params)].map((e) => ({
      path: `params${e.instancePath}`,
      message: e.message,
    })),
  });
}

/**
 * How operations are asked for, by the API and by rules alike: parameters checked against the
 * vocabulary, the eUICC and its stack resolved, the stack asked whether it can do it at all, a
 * validity period always set (an operation nobody reports on must end some day).
 */
export class OperationService {
  private readonly listeners = new Set<(op: Operation) => void>();

  constructor(
    private readonly knex: Knex,
    readonly store: OperationStore,
    private readonly adapters: ReadonlyMap<string, StackAdapter>,
    private readonly defaultValiditySeconds: number,
  ) {}

  /** Called after an operation was created and committed (the worker wakes up). */
  onCreated(listener: (op: Operation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async resolveTarget(
    by: { eid?: string; deviceId?: string },
    trx?: Knex.Transaction,
  ): Promise<ResolvedTarget> {
    const k = trx ?? this.knex;
    if (by.deviceId !== undefined) {
      const d = await k('devices as d')
        .leftJoin('euiccs as e', 'e.eid', 'd.eid')
        .where('d.id', by.deviceId)
        .first<{ id: string; eid: string | null; stack: Stack | null } | undefined>(
          'd.id',
          'd.eid',
          'e.stack',
        );
      if (!d) throw new UnprocessableError(`no device ${by.deviceId}`, { deviceId: by.deviceId });
      if (!d.eid || !d.stack)
        throw new UnprocessableError(`device ${by.deviceId} has no eUICC`, { deviceId: by.deviceId });
      if (by.eid !== undefined && by.eid !== d.eid)
        throw new UnprocessableError(`device ${by.deviceId} holds eUICC ${d.eid}, not ${by.eid}`, {
          deviceId: by.deviceId,
          eid: by.eid,
        });
      return { eid: d.eid, stack: d.stack, deviceId: d.id };
    }
    if (by.eid === undefined) throw new ValidationError('give eid or deviceId');
    const e = await k('euiccs as e')
      .leftJoin('devices as d', 'd.eid', 'e.eid')
      .where('e.eid', by.eid)
      .first<{ stack: Stack; id: string | null } | undefined>('e.stack', 'd.id');
    if (!e) throw new UnprocessableError(`no eUICC ${by.eid}`, { eid: by.eid });
    return { eid: by.eid, stack: e.stack, deviceId: e.id };
  }

  /** Refuses, before anything is stored, what the stack of the eUICC cannot do. */
  checkSupported(stack: Stack, type: OperationType): void {
    const support = this.adapters.get(stack)?.supports(type);
    if (support && !support.supported)
      throw new UnprocessableError(`${stack} cannot ${type}: ${support.reason}`, {
        stack,
        type,
        code: 'unsupported_operation',
      });
  }

  /** The operation as it would be stored; no write. `target` skips the look-up when the caller resolved it. */
  async prepare(
    req: OperationRequest,
    trx?: Knex.Transaction,
    target?: ResolvedTarget,
  ): Promise<NewOperation> {
    checkParams(req.type, req.params);
    target ??= await this.resolveTarget(req, trx);
    this.checkSupported(target.stack, req.type);
    const validUntil =
      req.validUntil ?? new Date(Date.now() + (req.validitySeconds ?? this.defaultValiditySeconds) * 1000);
    if (validUntil.getTime() <= Date.now())
      throw new UnprocessableError('validUntil is in the past', { validUntil: validUntil.toISOString() });
    return {
      eid: target.eid,
      deviceId: target.deviceId,
      stack: target.stack,
      type: req.type,
      params: req.params,
      priority: req.priority,
      maxAttempts: req.maxAttempts,
      validUntil,
      ruleId: req.ruleId ?? null,
      ruleVersion: req.ruleVersion ?? null,
      eventId: req.eventId ?? null,
      requestedBy: req.requestedBy,
      reason: req.reason,
    };
  }

  /** Creates it inside `trx` when given (the caller then calls `created` after its commit). */
  async request(req: OperationRequest, trx?: Knex.Transaction): Promise<Operation> {
    const op = await this.store.create(await this.prepare(req, trx), trx);
    if (!trx) this.created(op);
    return op;
  }

  created(op: Operation): void {
    for (const l of this.listeners) l(op);
  }

  async cancel(id: string, actor: string, reason: Record<string, unknown> = {}): Promise<Operation> {
    const op = await this.store.get(id);
    if (!op) throw new NotFoundError(`no operation ${id}`, { id });
    const moved = terminalStates.includes(op.state)
      ? undefined
      : await this.store.transition(id, ['pending', 'sent'], { to: 'cancelled', actor, reason });
    if (!moved) {
      const now = (await this.store.get(id))!;
      throw new ConflictError(
        `operation ${id} already ended (${now.state})`,
        { id, state: now.state },
        'operation_finished',
      );
    }
    return moved;
  }
}
