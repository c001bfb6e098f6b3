'use client';
/**
 * A <details> used as a popover menu: it closes on a click outside it and on Escape (which it then
 * takes, so a panel behind it stays open).
 */
import { useEffect, useRef, type KeyboardEvent } from 'react';

export function useDismissableDetails() {
  const ref = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const close = (event: MouseEvent) => {
      if (ref.current?.open && !ref.current.contains(event.target as Node)) ref.current.open = false;
    };
    document.addEventListener('click', close);
    return () => document.removeEventListener('click', close);
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDetailsElement>) => {
    if (event.key !== 'Escape' || !ref.current?.open) return;
    event.preventDefault();
    ref.current.open = false;
    ref.current.querySelector('summary')?.focus();
  };
  const close = () => {
    if (ref.current) ref.current.open = false;
  };
  return { ref, onKeyDown, close };
}
