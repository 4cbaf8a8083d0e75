import { useEffect } from "react";

// Finishes a sign-in: trades the one-time code the page state received for the HttpOnly session
// cookie (set by the server, never readable here), then loads the next page, whose new websocket
// carries the cookie. No eval: this file is part of the build, so the page's CSP allows it.
export function SessionHandoff({ code, target }) {
  useEffect(() => {
    if (!code) return undefined;
    let cancelled = false;
    const next = typeof target === "string" && target.startsWith("/") && !target.startsWith("//") &&
      !target.includes("\\") ? target : "/";
    fetch("/api/auth/session", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ code }),
    }).then((response) => {
      if (!cancelled && response.ok) window.location.replace(next);
    });
    return () => {
      cancelled = true;
    };
  }, [code, target]);
  return null;
}
