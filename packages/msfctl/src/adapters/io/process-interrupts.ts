/** The process's SIGINT and SIGTERM as the Interrupts port (the command line's). */
import type { InterruptSignal, Interrupts } from '../../ports/interrupts.js';

export function processInterrupts(exit: (code: number) => void = (code) => process.exit(code)): Interrupts {
  return {
    subscribe(handler) {
      const onInt = () => handler('SIGINT' satisfies InterruptSignal);
      const onTerm = () => handler('SIGTERM' satisfies InterruptSignal);
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
    exit,
  };
}
