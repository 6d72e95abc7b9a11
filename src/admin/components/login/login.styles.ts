import { css } from 'lit';
import { loginFormStyles } from '../../../components/login/password-field.ts';

export const adminLoginStyles = [
  loginFormStyles,
  css`
    h2 {
      font-size: 1.2rem;
      margin: 0;
    }
    [role='alert'] {
      margin: 0;
    }
  `,
];
