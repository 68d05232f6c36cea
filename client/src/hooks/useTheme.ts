/** Light or dark: the saved choice, else the system's; applied to <html data-theme> and remembered. */
import { useEffect, useState } from 'react';
import type { Theme } from '../style';

function initialTheme(): Theme {
  const saved = localStorage.getItem('sg-theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    localStorage.setItem('sg-theme', theme);
  }, [theme]);
  return [theme, setTheme];
}
