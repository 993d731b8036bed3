import { useRef, useState } from "preact/hooks";

export interface ComposerProps {
  disabled: boolean;
  sendText(text: string): void;
  sendImage(file: File, text: string): void;
}

/** Typed text (Enter sends), and images: pick, drop on the box, or paste (sent as `input_image`). */
export function Composer({ disabled, sendText, sendImage }: ComposerProps) {
  const [text, setText] = useState("");
  const [over, setOver] = useState(false);
  const box = useRef<HTMLInputElement>(null);
  const image = (file: File | undefined | null) => {
    if (!file?.type.startsWith("image/")) return false;
    // The box's own value: text typed just before a paste may not have reached `text` yet (its re-render is later).
    sendImage(file, (box.current?.value ?? text).trim());
    setText("");
    return true;
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const said = text.trim();
    if (!said) return;
    sendText(said);
    setText("");
  };
  return (
    <form
      class={`composer${over ? " drop" : ""}`}
      onSubmit={submit}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        image(e.dataTransfer?.files[0]);
      }}
    >
      <label class="visually-hidden" for="say">
        Message to the agent
      </label>
      <input
        id="say"
        ref={box}
        data-testid="text-input"
        type="text"
        autocomplete="off"
        placeholder="Type to the agent, or drop / paste an image"
        value={text}
        disabled={disabled}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onPaste={(e) => {
          const file = [...(e.clipboardData?.files ?? [])].find((f) => f.type.startsWith("image/"));
          if (image(file)) e.preventDefault();
        }}
      />
      <label class="button image-pick" title="Send an image">
        Image
        <input
          data-testid="image-input"
          type="file"
          accept="image/png,image/jpeg,image/gif,image/webp"
          class="visually-hidden"
          disabled={disabled}
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            image(input.files?.[0]);
            input.value = "";
          }}
        />
      </label>
      <button type="submit" data-testid="send-button" disabled={disabled || !text.trim()}>
        Send
      </button>
    </form>
  );
}
