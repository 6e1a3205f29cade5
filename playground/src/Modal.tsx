import { type ReactNode, useEffect, useRef } from 'react';

/**
 * A native modal `<dialog>` (the page behind it is inert) shown while `open`. Escape does not
 * close it: the buttons inside say what happens next.
 */
export function Modal(props: {
  open: boolean;
  testId: string;
  labelId: string;
  children: ReactNode;
}) {
  const { open, testId, labelId, children } = props;
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    dialog.showModal();
    return () => dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      data-testid={testId}
      aria-labelledby={labelId}
      onCancel={(event) => event.preventDefault()}
    >
      {open ? children : null}
    </dialog>
  );
}
