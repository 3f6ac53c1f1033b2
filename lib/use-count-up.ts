import { useEffect, useRef, useState } from 'react';

const DURATION_MS = 800;

/**
 * `target`, reached by counting up from the last value shown over a moment, so a number read by
 * polling grows instead of jumping; at once where the reader asked for reduced motion, or when
 * the number falls.
 */
export function useCountUp(target: number): number {
  const [shown, setShown] = useState(target);
  const shownRef = useRef(target);
  useEffect(() => {
    const from = shownRef.current;
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
    if (target <= from || still) {
      shownRef.current = target;
      setShown(target);
      return;
    }
    const start = performance.now();
    let frame = requestAnimationFrame(function step(now) {
      const done = Math.min(1, (now - start) / DURATION_MS);
      // Ease out: fast at first, settling on the target.
      const value = Math.round(from + (target - from) * (1 - (1 - done) ** 3));
      shownRef.current = value;
      setShown(value);
      if (done < 1) frame = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(frame);
  }, [target]);
  return shown;
}
