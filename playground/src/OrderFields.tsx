/** Whether the drafts keep a field: shown next to its label. */
function Kept({ kept }: { kept: boolean }) {
  return kept ? (
    <span className="kept" title="Saved as a draft while you type">
      kept in draft
    </span>
  ) : (
    <span className="not-kept" title="Never stored, and cleared when the session is forced to end">
      never stored
    </span>
  );
}

function Label({ text, kept }: { text: string; kept: boolean }) {
  return (
    <span className="field-name">
      {text} <Kept kept={kept} />
    </span>
  );
}

/**
 * The order form's fields: one of each kind drafts handle. Passwords and `autocomplete="cc-*"`
 * fields are never stored; everything else is.
 */
export function OrderFields() {
  return (
    <>
      <label className="field">
        <Label text="Full name" kept />
        <input name="fullName" autoComplete="name" data-testid="field-fullName" />
      </label>
      <label className="field">
        <Label text="Delivery notes" kept />
        <textarea name="notes" rows={3} data-testid="field-notes" />
      </label>
      <label className="field">
        <Label text="Plan" kept />
        <select name="plan" defaultValue="starter" data-testid="field-plan">
          <option value="starter">Starter</option>
          <option value="team">Team</option>
          <option value="enterprise">Enterprise</option>
        </select>
      </label>
      <label>
        <input type="checkbox" name="giftWrap" value="yes" data-testid="field-giftWrap" /> Gift wrap{' '}
        <Kept kept />
      </label>
      <fieldset>
        <legend>
          <Label text="Delivery" kept />
        </legend>
        {['standard', 'express', 'overnight'].map((speed) => (
          <label key={speed}>
            <input
              type="radio"
              name="speed"
              value={speed}
              defaultChecked={speed === 'standard'}
              data-testid={`field-speed-${speed}`}
            />{' '}
            {speed}{' '}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <Label text="Confirm with your password" kept={false} />
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          data-testid="field-password"
        />
      </label>
      <label className="field">
        <Label text="Card number" kept={false} />
        <input
          name="cardNumber"
          inputMode="numeric"
          autoComplete="cc-number"
          data-testid="field-cardNumber"
        />
      </label>
    </>
  );
}
