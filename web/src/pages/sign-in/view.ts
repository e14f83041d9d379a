/** The sign-in form: an API key, checked with GET /auth/whoami and kept in sessionStorage (this tab only). */
import { ApiError } from '@/api';
import { h } from '@/app/dom';

export function signInView(signIn: (key: string) => Promise<void>): HTMLElement {
  const input = h('input', {
    type: 'password',
    name: 'apiKey',
    id: 'api-key',
    autocomplete: 'off',
    required: true,
    minlength: 1,
    placeholder: 'API key',
  });
  const message = h('p', { class: 'form-error', role: 'alert' });
  const form = h(
    'form',
    {
      class: 'signin card',
      'data-form': 'sign-in',
      onsubmit: async (event: Event) => {
        event.preventDefault();
        message.textContent = '';
        try {
          await signIn(input.value.trim());
        } catch (error) {
          message.textContent =
            error instanceof ApiError
              ? `${error.problem.title ?? 'Sign-in failed'} (request id ${error.problem.requestId ?? '—'})`
              : 'Sign-in failed.';
        }
      },
    },
    h('h1', null, 'Sign in to ModelWatch'),
    h('p', { class: 'muted' }, 'This service requires an API key (one of API_KEYS). It is kept in this tab only (sessionStorage).'),
    h('label', { for: 'api-key' }, 'API key'),
    input,
    message,
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in'),
  );
  return h('div', { class: 'page page-narrow' }, form);
}
