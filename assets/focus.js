import { useEffect } from "react";

// Moves the keyboard focus to the first element matching `selector` each time `token` changes
// (a wizard's new step, a form's refusal), so screen readers announce it. No eval: this file is
// part of the build, so the page's CSP allows it (rx.call_script is refused by that CSP).
export function FocusOn({ selector, token }) {
  useEffect(() => {
    if (!token || !selector) return undefined;
    // The element may be drawn a moment after this effect runs: look for it briefly.
    let tries = 40;
    const timer = setInterval(() => {
      const element = document.querySelector(selector);
      if (element) {
        element.focus();
        clearInterval(timer);
      } else if (--tries < 0) {
        clearInterval(timer);
      }
    }, 25);
    return () => clearInterval(timer);
  }, [selector, token]);
  return null;
}
