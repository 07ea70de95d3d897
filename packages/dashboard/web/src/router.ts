/** Two pages, two URL shapes: / (the fleet) and /apps/NAME. Links navigate without reloading the page. */
import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'fleet' } | { page: 'application'; name: string } | { page: 'not-found' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'fleet' };
  const m = /^\/apps\/([^/]+)\/?$/.exec(pathname);
  if (m) {
    try {
      return { page: 'application', name: decodeURIComponent(m[1]!) };
    } catch {
      return { page: 'not-found' };
    }
  }
  return { page: 'not-found' };
}

export function appHref(name: string): string {
  return `/apps/${encodeURIComponent(name)}`;
}

export function navigate(href: string): void {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
  scrollTo(0, 0);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    addEventListener('popstate', update);
    // Same-origin links inside the page: no reload (keeps the live connection).
    const click = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element).closest?.('a[data-route]');
      if (!(a instanceof HTMLAnchorElement)) return;
      e.preventDefault();
      navigate(a.pathname);
    };
    document.addEventListener('click', click);
    return () => {
      removeEventListener('popstate', update);
      document.removeEventListener('click', click);
    };
  }, []);
  return route;
}
