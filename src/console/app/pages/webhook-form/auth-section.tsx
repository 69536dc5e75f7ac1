import { ChipsInput } from '../../components/chips-input.js';
import { describedBy, errorUnder, Field, FieldError, fieldId } from '../../components/field.js';
import type { SectionProps } from './section.js';

/** None, or OAuth 2.0 client credentials (a stored client secret is kept unless retyped). */
export function AuthSection({ form, errors, update }: SectionProps) {
  return (
    <fieldset
      class="card"
      id={fieldId('oauth')}
      tabIndex={-1}
      aria-describedby={errors.oauth ? `${fieldId('oauth')}-error` : undefined}
    >
      <legend>Authentication</legend>
      <div class="radio-row">
        <label class="checkbox">
          <input
            type="radio"
            name="auth"
            value="NONE"
            checked={form.auth === 'NONE'}
            onChange={() => update({ auth: 'NONE' }, 'oauth')}
          />
          None, or headers only
        </label>
        <label class="checkbox">
          <input
            type="radio"
            name="auth"
            value="OAUTH"
            checked={form.auth === 'OAUTH'}
            onChange={() => update({ auth: 'OAUTH' }, 'oauth')}
          />
          OAuth 2.0 client credentials
        </label>
      </div>
      <FieldError field="oauth" message={errors.oauth} />
      {form.auth === 'OAUTH' && (
        <div class="grid-2">
          <Field field="oauth.clientId" label="Client id" error={errors['oauth.clientId']}>
            <input
              {...describedBy('oauth.clientId', errors['oauth.clientId'])}
              type="text"
              value={form.oauthClientId}
              autocomplete="off"
              onInput={(e) => update({ oauthClientId: e.currentTarget.value }, 'oauth.clientId')}
            />
          </Field>
          <Field
            field="oauth.clientSecret"
            label="Client secret"
            error={errors['oauth.clientSecret']}
            hint={form.oauthStoredSecret ? 'Stored; leave empty to keep it.' : undefined}
          >
            <input
              {...describedBy(
                'oauth.clientSecret',
                errors['oauth.clientSecret'],
                Boolean(form.oauthStoredSecret),
              )}
              type="password"
              value={form.oauthClientSecret}
              placeholder={form.oauthStoredSecret ?? ''}
              autocomplete="new-password"
              onInput={(e) => update({ oauthClientSecret: e.currentTarget.value }, 'oauth.clientSecret')}
            />
          </Field>
          <Field field="oauth.tokenEndpointUrl" label="Token URL" error={errors['oauth.tokenEndpointUrl']}>
            <input
              {...describedBy('oauth.tokenEndpointUrl', errors['oauth.tokenEndpointUrl'])}
              type="url"
              value={form.oauthTokenUrl}
              placeholder="https://auth.example.com/oauth/token"
              autocomplete="off"
              onInput={(e) => update({ oauthTokenUrl: e.currentTarget.value }, 'oauth.tokenEndpointUrl')}
            />
          </Field>
          <div class="field">
            <label for={fieldId('oauth.scopes')}>Scopes</label>
            <ChipsInput
              field="oauth.scopes"
              label="Scopes"
              values={form.oauthScopes}
              onChange={(values) => update({ oauthScopes: values }, 'oauth.scopes')}
              error={errorUnder(errors, 'oauth.scopes')}
            />
            <FieldError field="oauth.scopes" message={errorUnder(errors, 'oauth.scopes')} />
          </div>
        </div>
      )}
    </fieldset>
  );
}
