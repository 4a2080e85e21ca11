import { useEffect, useState } from 'react';
import {
  listProductTypes,
  SHOTS,
  SIZES,
  startProductShots,
  thumbnailUrl,
  type GenerationJobInfo,
  type ImageProviderInfo,
  type ProductTypeInfo,
} from '../../client/create.js';
import { CountField, SizeField } from './Fields.js';
import { useAction } from '../../hooks/useAction.js';
import { errorText } from '../../lib/errors.js';

/** Product shots of the chosen photos: a product type, the shot types, how many of each, the size for shot 3. */
export function ProductShotsForm({
  photoIds,
  providers,
  onStarted,
}: {
  photoIds: string[];
  providers: ImageProviderInfo[];
  onStarted: (job: GenerationJobInfo) => void;
}) {
  const withEdits = providers.filter((p) => p.edits);
  const [types, setTypes] = useState<ProductTypeInfo[]>([]);
  const [productType, setProductType] = useState('');
  const [shots, setShots] = useState<Set<number>>(new Set([1, 2, 4, 5]));
  const [count, setCount] = useState(1);
  const [height, setHeight] = useState('');
  const [width, setWidth] = useState('');
  const [unit, setUnit] = useState<Unit>('mm');
  const [size, setSize] = useState(SIZES[0]!.value);
  const [provider, setProvider] = useState(withEdits.find((p) => p.default)?.name ?? withEdits[0]?.name ?? '');
  const { busy, error, setError, run } = useAction();

  useEffect(() => {
    const controller = new AbortController();
    listProductTypes(controller.signal).then(
      (answer) => {
        setTypes(answer.items);
        setProductType((current) => current || answer.items[0]?.name || '');
      },
      (e: unknown) => !controller.signal.aborted && setError(errorText(e)),
    );
    return () => controller.abort();
  }, [setError]);

  const toggle = (number: number) =>
    setShots((current) => {
      const next = new Set(current);
      if (next.has(number)) next.delete(number);
      else next.add(number);
      return next;
    });

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    await run(async () => {
      const job = await startProductShots({
        photoIds,
        productType,
        shots: [...shots].sort(),
        n: count,
        unit,
        size,
        provider,
        ...(shots.has(3) ? { height: Number(height), width: Number(width) } : {}),
      });
      onStarted(job);
    });
  };

  if (withEdits.length === 0) {
    return (
      <section className="panel" data-testid="product-shots-unavailable">
        <h2>Product shots</h2>
        <p>
          Product shots keep the product's own pixels by editing its photo, which needs a provider with an image-to-image endpoint; none of this server's has
          one.
        </p>
      </section>
    );
  }
  const images = photoIds.length * shots.size * count;
  return (
    <form className="panel create-form" onSubmit={(event) => void submit(event)} data-testid="product-shots-form">
      <h2>Product shots of {photoIds.length === 1 ? 'a photo' : `${photoIds.length} photos`}</h2>
      <div className="create-products">
        {photoIds.slice(0, 12).map((id) => (
          <img key={id} src={thumbnailUrl(id)} alt="A product photo" className="create-source-thumb" />
        ))}
        {photoIds.length > 12 ? <span className="muted">and {photoIds.length - 12} more</span> : null}
      </div>
      <div className="create-row">
        <label className="create-field">
          Product type
          <select value={productType} onChange={(event) => setProductType(event.target.value)} data-testid="product-type">
            {types.map((type) => (
              <option key={type.id} value={type.name}>
                {type.name}
              </option>
            ))}
          </select>
        </label>
        <CountField label="Of each shot" value={count} onChange={setCount} />
        <SizeField value={size} onChange={setSize} />
        {withEdits.length > 1 ? (
          <label className="create-field">
            Provider
            <select value={provider} onChange={(event) => setProvider(event.target.value)}>
              {withEdits.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <fieldset className="create-shots">
        <legend>Shots</legend>
        {SHOTS.map((shot) => (
          <label key={shot.shot} className="create-check">
            <input type="checkbox" checked={shots.has(shot.number)} onChange={() => toggle(shot.number)} data-testid={`shot-${shot.shot}`} /> {shot.number}.{' '}
            {shot.label}
          </label>
        ))}
      </fieldset>
      {shots.has(3) ? <ProductSizeFields height={height} width={width} unit={unit} onHeight={setHeight} onWidth={setWidth} onUnit={setUnit} /> : null}
      {error ? (
        <p className="banner banner-error" role="alert" data-testid="create-error">
          {error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button button-primary" disabled={busy || shots.size === 0 || !productType} data-testid="product-shots-submit">
          {busy ? 'Starting…' : `Make ${images} ${images === 1 ? 'image' : 'images'}`}
        </button>
      </div>
    </form>
  );
}

type Unit = 'mm' | 'cm' | 'in';

interface SizeProps {
  height: string;
  width: string;
  unit: Unit;
  onHeight: (height: string) => void;
  onWidth: (width: string) => void;
  onUnit: (unit: Unit) => void;
}

/** The product's real size, for the shot that shows it to scale (shot 3). */
function ProductSizeFields({ height, width, unit, onHeight, onWidth, onUnit }: SizeProps) {
  return (
    <div className="create-row">
      <label className="create-field">
        Height
        <input type="number" min="0" step="any" value={height} onChange={(event) => onHeight(event.target.value)} required data-testid="product-height" />
      </label>
      <label className="create-field">
        Width
        <input type="number" min="0" step="any" value={width} onChange={(event) => onWidth(event.target.value)} required data-testid="product-width" />
      </label>
      <label className="create-field">
        Unit
        <select value={unit} onChange={(event) => onUnit(event.target.value as Unit)}>
          <option value="mm">mm</option>
          <option value="cm">cm</option>
          <option value="in">in</option>
        </select>
      </label>
    </div>
  );
}
