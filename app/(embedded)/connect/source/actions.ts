'use server';
// Source step: test a connection, save it. Both accept a credentials-only (DBA hand-off) session.
import { z } from 'zod';
import { actionFailure, type ActionResult, fromPrequelError } from '@/lib/actions/action-result';
import { customerAction } from '@/lib/actions/customer-action';
import type { ConnectionCheck } from '@/lib/prequel/contract/source-actions';
import {
  createSource,
  listSources,
  testNewSource,
  testSavedSource,
  updateSource,
} from '@/lib/prequel/sources';
import { ownedSource } from '@/lib/session/ownership';
import {
  type ConnectionForm,
  ConnectionFormSchema,
  type ConnectionFormValues,
  formFieldOf,
  fromSource,
  passwordNeeded,
  toSourceInput,
  toSourcePatch,
} from '@/lib/wizard/connection-form';

const ConnectionRequestSchema = z.object({
  form: ConnectionFormSchema,
  sourceId: z.uuid().optional(),
});

export type ConnectionTest = {
  passed: boolean;
  message: string;
  checks: ConnectionCheck[];
  /** Each failed check on the form field it concerns. */
  fieldErrors: Record<string, string>;
};

function checkFieldErrors(checks: ConnectionCheck[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const check of checks) {
    if (check.status !== 'failed' || !check.field) continue;
    const field = formFieldOf(check.field);
    if (field && !errors[field])
      errors[field] = [check.message, check.hint].filter(Boolean).join(' ');
  }
  return errors;
}

/**
 * The saved connection being edited: its id, and its settings as the form shows them (without the
 * password).
 */
type SavedConnection = { id: string; form: ConnectionForm | null };

async function runTest(
  form: ConnectionFormValues,
  providerId: string,
  saved: SavedConnection | null,
): Promise<ActionResult<ConnectionTest>> {
  // The saved password only goes to the server it was entered for (the API answers secret_required
  // otherwise).
  const needed = form.password ? null : passwordNeeded(saved?.form ?? null, form);
  if (needed)
    return actionFailure('invalid_input', 'Some fields need attention.', { password: needed });
  const tested = saved
    ? await testSavedSource(saved.id, toSourcePatch(form))
    : await testNewSource(toSourceInput(form, providerId));
  if (!tested.ok) return fromPrequelError(tested.error, formFieldOf);
  const checks = tested.data.checks ?? [];
  return {
    ok: true,
    data: {
      passed: tested.data.code === 'success',
      message: tested.data.message,
      checks,
      fieldErrors: checkFieldErrors(checks),
    },
  };
}

export const testConnection = customerAction(
  ConnectionRequestSchema,
  async ({ form, sourceId }, session): Promise<ActionResult<ConnectionTest>> => {
    let editing: SavedConnection | null = null;
    if (sourceId) {
      const owned = await ownedSource(session, sourceId);
      if (!owned.ok) return fromPrequelError(owned.error);
      editing = { id: sourceId, form: fromSource(owned.data) };
    }
    return runTest(form, session.providerId, editing);
  },
  { scope: 'credentials' },
);

export type SaveOutcome =
  { saved: true; sourceId: string; test: ConnectionTest } | { saved: false; test: ConnectionTest };

/** Tests, then saves only a connection that works: a saved source is one the pipeline can read. */
export const saveConnection = customerAction(
  ConnectionRequestSchema,
  async ({ form, sourceId }, session): Promise<ActionResult<SaveOutcome>> => {
    let editing: SavedConnection | null = null;
    if (sourceId) {
      const owned = await ownedSource(session, sourceId);
      if (!owned.ok) return fromPrequelError(owned.error);
      editing = { id: sourceId, form: fromSource(owned.data) };
    } else {
      // One connection per customer in the wizard: a second "create" would duplicate the first.
      const existing = await listSources({ providerId: session.providerId, pageSize: 1 });
      if (!existing.ok) return fromPrequelError(existing.error);
      if (existing.data.items[0])
        return actionFailure(
          'conflict',
          'A connection is already saved: reload the page to edit it.',
        );
    }
    const tested = await runTest(form, session.providerId, editing);
    if (!tested.ok) return tested;
    if (!tested.data.passed) return { ok: true, data: { saved: false, test: tested.data } };
    const saved = sourceId
      ? await updateSource(sourceId, toSourcePatch(form))
      : await createSource(toSourceInput(form, session.providerId));
    if (!saved.ok) return fromPrequelError(saved.error, formFieldOf);
    return { ok: true, data: { saved: true, sourceId: saved.data.id, test: tested.data } };
  },
  { scope: 'credentials' },
);
