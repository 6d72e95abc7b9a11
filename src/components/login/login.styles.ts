import { css } from 'lit';
import { loginFormStyles } from './password-field.ts';

export const loginStyles = [
  loginFormStyles,
  css`
    .retry {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
  `,
];
