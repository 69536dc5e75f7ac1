import type { Errors } from '../../components/field.js';
import type { Update } from '../../hooks/use-webhook-form.js';
import type { FormState } from '../../webhook-model.js';

/** What every section of the webhook form gets: the form, its field errors and the way to change it. */
export interface SectionProps {
  form: FormState;
  errors: Errors;
  update: Update;
  readOnly?: boolean;
}
