import { useNavigate, useSearch } from "@tanstack/react-router";
import { useCallback } from "react";
import { RevenuePage } from "./revenue-page";
import type { RevenueSearch } from "./search";

/** Binds the revenue page to the /revenue search params. */
export function RevenueRoute() {
  const search = useSearch({ from: "/revenue" });
  const navigate = useNavigate({ from: "/revenue" });
  const onSearchChange = useCallback(
    (patch: Partial<RevenueSearch>) => {
      void navigate({ search: (previous) => clean({ ...previous, ...patch }) });
    },
    [navigate],
  );
  return <RevenuePage search={search} onSearchChange={onSearchChange} />;
}

function clean(search: RevenueSearch): RevenueSearch {
  const next: RevenueSearch = {};
  if (search.from) next.from = search.from;
  if (search.to) next.to = search.to;
  if (search.segment) next.segment = search.segment;
  return next;
}
