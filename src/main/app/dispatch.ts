// One dispatch for every adapter (IPC, HTTP, CLI): validate args with zod, run the handler, return data.

import { ZodError } from 'zod'
import { methods, OPERATOR_METHODS, type ApiMethod, type ApiParsedArgs, type ApiResults } from '../../shared/contract'
import { AppError, type ApiResult } from '../../shared/errors'
import { describeZodError } from '../../shared/schemas'

/** Who is calling: the tenant every read and write is scoped to, and whether it is the installation's operator. */
export interface CallContext {
  userId: string
  /** The desktop app, the CLI on the server, or the admin key; a tenant when absent. */
  operator?: boolean
}

export type Handler<M extends ApiMethod> = (ctx: CallContext, args: ApiParsedArgs<M>) => Promise<ApiResults[M]>
export type Handlers = { [M in ApiMethod]: Handler<M> }

export interface DispatchLogger {
  error(obj: object, msg: string): void
}

export async function dispatch(
  handlers: Handlers,
  ctx: CallContext,
  method: string,
  rawArgs: unknown,
  log?: DispatchLogger,
): Promise<ApiResult<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(methods, method)) {
    return { ok: false, error: { code: 'not_found', message: `Unknown method "${method}"` } }
  }
  const name = method as ApiMethod
  if (OPERATOR_METHODS.includes(name) && !ctx.operator) {
    return {
      ok: false,
      error: {
        code: 'forbidden',
        message: `${name} is for the operator of this installation: the desktop app, the pregon CLI on the server, or the admin key (PREGON_ADMIN_KEY).`,
      },
    }
  }
  const parsed = methods[name].safeParse(rawArgs ?? {})
  if (!parsed.success) {
    const { message, field } = describeZodError(parsed.error)
    return { ok: false, error: { code: 'invalid_args', message, details: { field } } }
  }
  try {
    const handler = handlers[name] as Handler<typeof name>
    const value = await handler(ctx, parsed.data as ApiParsedArgs<typeof name>)
    return { ok: true, value }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.toData() }
    if (error instanceof ZodError) {
      const { message, field } = describeZodError(error)
      return { ok: false, error: { code: 'invalid_args', message, details: { field } } }
    }
    log?.error({ err: error, method }, 'handler failed')
    return { ok: false, error: { code: 'internal', message: 'Something went wrong inside Pregón; the log file has the details.' } }
  }
}
