import type { IExecuteFunctions } from 'n8n-workflow';

import type { AbortSignalLike, RunControl } from '../../../shared';

/**
 * The execution's cancel signal where the host offers one (n8n-workflow 1.x late and 2.x:
 * getExecutionCancelSignal), else undefined: without a Stop it changes nothing.
 */
export function cancelSignalOf(ctx: IExecuteFunctions): AbortSignalLike | undefined {
	const read = (ctx as Partial<Pick<IExecuteFunctions, 'getExecutionCancelSignal'>>)
		.getExecutionCancelSignal;
	if (typeof read !== 'function') return undefined;
	try {
		return read.call(ctx) ?? undefined;
	} catch {
		return undefined;
	}
}

/** Also subscribes to onExecutionCancellation where it exists (hosts with a handler, no signal). */
export function listenForCancellation(ctx: IExecuteFunctions, run: RunControl): void {
	const subscribe = (ctx as Partial<Pick<IExecuteFunctions, 'onExecutionCancellation'>>)
		.onExecutionCancellation;
	if (typeof subscribe !== 'function') return;
	try {
		subscribe.call(ctx, () => run.stop());
	} catch {
		// An older host without it: the signal (if any) is all we have.
	}
}
