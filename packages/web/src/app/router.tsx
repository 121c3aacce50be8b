import { createRootRoute, createRoute, createRouter, redirect } from "@tanstack/react-router";
import { RevenueRoute } from "../features/revenue/revenue-route";
import { parseRevenueSearch } from "../features/revenue/search";
import { AppShell, NotFound } from "./app-shell";

const rootRoute = createRootRoute({ component: AppShell, notFoundComponent: NotFound });

// "/" is the revenue dashboard; redirecting keeps one canonical, shareable URL.
const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/",
  validateSearch: parseRevenueSearch,
  beforeLoad: ({ search }) => {
    throw redirect({ to: "/revenue", search, replace: true });
  },
});

/** The revenue dashboard; `from`, `to` and `segment` live in the search params. */
export const revenueRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/revenue",
  validateSearch: parseRevenueSearch,
  component: RevenueRoute,
});

const routeTree = rootRoute.addChildren([indexRoute, revenueRoute]);

/** The app router (code-based routes). */
export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
